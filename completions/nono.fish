# fish completion for nono(1): subcommands, options and built-in profile names. After `--`
# fish completes the sandboxed command by itself.

function __nono_profiles
    # `nono profiles` prints "NAME  description" per line; fish wants NAME<TAB>description.
    nono profiles 2>/dev/null | string replace -r '^(\S+)\s+' '$1\t'
end

set -l subcommands exec run profiles
complete -c nono -f
complete -c nono -n "not __fish_seen_subcommand_from $subcommands" -a exec -d 'Run a command under a profile'
complete -c nono -n "not __fish_seen_subcommand_from $subcommands" -a run -d 'Run a command under a profile built from flags'
complete -c nono -n "not __fish_seen_subcommand_from $subcommands" -a profiles -d 'List the built-in profiles'
complete -c nono -s h -l help -d 'Print help and exit'
complete -c nono -n "not __fish_seen_subcommand_from $subcommands" -l version -d 'Print the version and exit'

complete -c nono -n '__fish_seen_subcommand_from exec' -l profile -x -a '(__nono_profiles) (__fish_complete_suffix .nono .yaml .yml)' -d 'Profile name or file'
complete -c nono -n '__fish_seen_subcommand_from exec' -l plan -r -a '(__fish_complete_suffix .plan)' -d 'Plan compiled by nonoc compile --target plan'
complete -c nono -n '__fish_seen_subcommand_from exec' -l param -x -d 'Set a profile parameter (KEY=VALUE)'
complete -c nono -n '__fish_seen_subcommand_from exec' -l bind -x -d 'Fix a variable (VAR=VALUE)'
complete -c nono -n '__fish_seen_subcommand_from exec' -l workdir -x -a '(__fish_complete_directories)' -d 'Working directory and $CWD'
complete -c nono -n '__fish_seen_subcommand_from exec' -l dry-run -d 'Print the ruleset and skipped paths; run nothing'
complete -c nono -n '__fish_seen_subcommand_from exec' -l json -d 'With --dry-run: as JSON'
complete -c nono -n '__fish_seen_subcommand_from exec' -l allow-weaker -d 'Run even where the kernel enforces less than written'
complete -c nono -n '__fish_seen_subcommand_from exec' -s q -l quiet -d 'Say nothing at start of grants left unmet'
complete -c nono -n '__fish_seen_subcommand_from exec' -l resolve -x -d 'Have the proxy reach NAME at ADDR (NAME=ADDR)'
complete -c nono -n '__fish_seen_subcommand_from exec' -s v -l verbose -d 'List refused connections at exit'
complete -c nono -n '__fish_seen_subcommand_from exec' -l keep-fd -x -d 'Keep an inherited file descriptor'
complete -c nono -n '__fish_seen_subcommand_from exec' -l no-supervisor -d 'Exec in place of nono (embedding; weaker)'

complete -c nono -n '__fish_seen_subcommand_from run' -l allow-cwd -d 'Read and write the current directory'
complete -c nono -n '__fish_seen_subcommand_from run' -l read -r -F -d 'Allow reading a path'
complete -c nono -n '__fish_seen_subcommand_from run' -l write -r -F -d 'Allow writing a path'
complete -c nono -n '__fish_seen_subcommand_from run' -l allow -r -F -d 'Allow reading and writing a path'
complete -c nono -n '__fish_seen_subcommand_from run' -l exec -r -F -d 'Allow executing under a path'
complete -c nono -n '__fish_seen_subcommand_from run' -l net -x -a 'none all' -d 'Network access'
complete -c nono -n '__fish_seen_subcommand_from run' -l connect -x -d 'Allow TCP connections (tcp:PORT or HOST:PORT)'
complete -c nono -n '__fish_seen_subcommand_from run' -l loopback -d 'Bind, listen and connect on loopback'
complete -c nono -n '__fish_seen_subcommand_from run' -l env-keep -x -a '(set -xn)' -d 'Pass a variable whose name says secret'
complete -c nono -n '__fish_seen_subcommand_from run' -l limit -x -a 'memory= processes= open-files= cpu-time= file-size=' -d 'Limit the run (KIND=AMOUNT)'
