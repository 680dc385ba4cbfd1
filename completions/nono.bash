# bash completion for nono(1): subcommands, options, built-in profile names, and the
# command after `--` completed as a command line of its own.

_nono_profiles() {
    # `nono profiles` prints "NAME  description" per line.
    nono profiles 2>/dev/null | awk '{print $1}'
}

_nono() {
    local cur prev words cword
    _init_completion || return

    local i subcommand="" dashdash=0
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            dashdash=$i
            break
        fi
        if [[ -z $subcommand && ${words[i]} != -* ]]; then
            subcommand=${words[i]}
        fi
    done

    # After `--`: the sandboxed command and its arguments.
    if ((dashdash > 0)); then
        _command_offset $((dashdash + 1))
        return
    fi

    if [[ -z $subcommand ]]; then
        COMPREPLY=($(compgen -W "exec run profiles --help --version" -- "$cur"))
        return
    fi

    case $subcommand in
        exec)
            case $prev in
                --profile)
                    COMPREPLY=($(compgen -W "$(_nono_profiles)" -- "$cur"))
                    _filedir '@(nono|yaml|yml)'
                    return
                    ;;
                --workdir)
                    _filedir -d
                    return
                    ;;
                --plan)
                    _filedir plan
                    return
                    ;;
                --param | --bind | --keep-fd | --resolve)
                    return
                    ;;
            esac
            COMPREPLY=($(compgen -W "--profile --plan --param --bind --workdir --dry-run --json --allow-weaker
                --quiet --resolve --verbose --keep-fd --no-supervisor --help --" -- "$cur"))
            ;;
        run)
            case $prev in
                --read | --write | --allow | --exec)
                    _filedir
                    return
                    ;;
                --net)
                    COMPREPLY=($(compgen -W "none all" -- "$cur"))
                    return
                    ;;
                --env-keep)
                    COMPREPLY=($(compgen -e -- "$cur"))
                    return
                    ;;
                --limit)
                    COMPREPLY=($(compgen -W "memory= processes= open-files= cpu-time= file-size=" -- "$cur"))
                    compopt -o nospace
                    return
                    ;;
            esac
            COMPREPLY=($(compgen -W "--allow-cwd --read --write --allow --exec --net --connect --loopback --env-keep --limit --help --" \
                -- "$cur"))
            ;;
        profiles)
            COMPREPLY=($(compgen -W "--help" -- "$cur"))
            ;;
    esac
}

complete -F _nono nono
