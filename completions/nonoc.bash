# bash completion for nonoc(1): subcommands, their options, and profile files.

_nonoc() {
    local cur prev words cword
    _init_completion || return

    local i subcommand=""
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* ]]; then
            subcommand=${words[i]}
            break
        fi
    done

    if [[ -z $subcommand ]]; then
        COMPREPLY=($(compgen -W "check compile explain why disasm fmt diff convert --help
            --version" -- "$cur"))
        return
    fi

    # Option values first: they are the same whichever subcommand takes them.
    case $prev in
        --target)
            COMPREPLY=($(compgen -W "landlock seccomp sbpl plan all" -- "$cur"))
            return
            ;;
        --arch)
            COMPREPLY=($(compgen -W "x86_64 aarch64 i386" -- "$cur"))
            return
            ;;
        --platform)
            COMPREPLY=($(compgen -W "linux macos" -- "$cur"))
            return
            ;;
        --access)
            COMPREPLY=($(compgen -W "read write exec" -- "$cur"))
            return
            ;;
        -o | --workdir)
            _filedir -d
            return
            ;;
        --path)
            _filedir
            return
            ;;
        --dump-ir)
            COMPREPLY=($(compgen -W "after:" -- "$cur"))
            compopt -o nospace
            return
            ;;
        --connect | --bind)
            # `why` takes tcp:PORT; everywhere else --bind is VAR=VALUE.
            [[ $subcommand == why ]] && COMPREPLY=($(compgen -W "tcp:" -- "$cur")) && compopt -o nospace
            return
            ;;
        --param | --syscall | --args)
            return
            ;;
    esac

    local common="--param --bind --workdir --platform --help"
    local options
    case $subcommand in
        check) options="-v $common" ;;
        compile) options="--target -o --arch --landlock-abi --symbolic --allow-weaker --dump-ir $common" ;;
        explain) options="--json $common" ;;
        why) options="--path --access --syscall --args --arch --connect --udp $common" ;;
        disasm) options="--arch --help" ;;
        fmt) options="-i --check --help" ;;
        diff) options="$common" ;;
        convert) options="-o --help" ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    elif [[ $subcommand == disasm ]]; then
        _filedir bpf
    else
        _filedir '@(nono|yaml|yml)'
    fi
}

complete -F _nonoc nonoc
