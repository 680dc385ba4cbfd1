# fish completion for nonoc(1): subcommands, their options, and profile files.

set -l subcommands check compile explain why disasm fmt diff convert
set -l resolving check compile explain why diff
complete -c nonoc -f
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a check -d 'Parse and validate profiles'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a compile -d 'Compile for landlock, seccomp, sbpl, or a plan'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a explain -d 'Print the effective policy'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a why -d 'Say whether an access is allowed, and why'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a disasm -d 'Print a seccomp BPF program as text'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a fmt -d 'Format profiles canonically'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a diff -d 'Compare what two profiles allow'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -a convert -d 'Convert between .nono and YAML'
complete -c nonoc -s h -l help -d 'Print help and exit'
complete -c nonoc -n "not __fish_seen_subcommand_from $subcommands" -l version -d 'Print the version and exit'

# Profile files for every subcommand that reads profiles; .bpf programs for disasm.
complete -c nonoc -n "__fish_seen_subcommand_from check compile explain why fmt diff convert" -k -a '(__fish_complete_suffix .nono .yaml .yml)'
complete -c nonoc -n '__fish_seen_subcommand_from disasm' -k -a '(__fish_complete_suffix .bpf)'

complete -c nonoc -n "__fish_seen_subcommand_from $resolving" -l param -x -d 'Set a profile parameter (KEY=VALUE)'
complete -c nonoc -n "__fish_seen_subcommand_from check compile explain diff" -l bind -x -d 'Fix a variable (VAR=VALUE)'
complete -c nonoc -n "__fish_seen_subcommand_from $resolving" -l workdir -x -a '(__fish_complete_directories)' -d 'The value of $CWD'
complete -c nonoc -n "__fish_seen_subcommand_from $resolving" -l platform -x -a 'linux macos' -d 'Platform of the on blocks'

complete -c nonoc -n '__fish_seen_subcommand_from check' -s v -d 'Report each file checked'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -l target -x -a 'landlock seccomp sbpl plan all' -d 'Target'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -s o -x -a '(__fish_complete_directories)' -d 'Output directory'
complete -c nonoc -n '__fish_seen_subcommand_from compile why disasm' -l arch -x -a 'x86_64 aarch64 i386' -d 'Architecture'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -l landlock-abi -x -a '1 2 3 4 5 6 7' -d 'Judge fidelity against this Landlock ABI'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -l symbolic -d 'Keep per-user values as SBPL parameters'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -l allow-weaker -d 'Accept a target weaker than the profile'
complete -c nonoc -n '__fish_seen_subcommand_from compile' -l dump-ir -x -a 'after:' -d 'Print the IR after a pass'
complete -c nonoc -n '__fish_seen_subcommand_from explain' -l json -d 'Print JSON'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l path -r -F -d 'Path to ask about'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l access -x -a 'read write exec' -d 'Access'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l syscall -x -d 'Syscall to ask about'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l args -x -d 'Syscall arguments (a,b,...)'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l connect -x -a 'tcp:' -d 'TCP connect (tcp:PORT)'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l bind -x -a 'tcp:' -d 'TCP bind (tcp:PORT)'
complete -c nonoc -n '__fish_seen_subcommand_from why' -l udp -d 'UDP'
complete -c nonoc -n '__fish_seen_subcommand_from fmt' -s i -d 'Rewrite files in place'
complete -c nonoc -n '__fish_seen_subcommand_from fmt' -l check -d 'Exit 1 if a file would change'
complete -c nonoc -n '__fish_seen_subcommand_from convert' -s o -r -F -d 'Output file'
