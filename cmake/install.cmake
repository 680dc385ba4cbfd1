# Installation where a Debian package puts each file, and CPack for the .deb
# (`cpack -G DEB` in the build directory). Included by the top-level CMakeLists.txt after
# the targets exist; tests/cli/install.sh checks the layout.
#
#   bin/nono, bin/nonoc
#   share/nono/profiles/*.nono            built-in profiles (top-level CMakeLists.txt)
#   share/nono/schemas/*.json             YAML form, compiled artifacts (top-level)
#   share/nono/editors/                   TextMate grammar, VS Code extension folder
#   share/man/man1/nono.1.gz, nonoc.1.gz  man pages, gzip -9n as Debian policy asks
#   share/man/man5/nono-profile.5.gz
#   share/bash-completion/completions/{nono,nonoc}
#   share/zsh/vendor-completions/{_nono,_nonoc}
#   share/fish/vendor_completions.d/{nono,nonoc}.fish
#   share/doc/nono/                       README, language reference

# Man pages, compressed at build time: CPack's DEB generator installs files as they are.
find_program(NONO_GZIP gzip REQUIRED)
set(NONO_MAN_DIR ${CMAKE_CURRENT_BINARY_DIR}/man)
set(NONO_MAN_PAGES_GZ)
foreach(page nono.1 nonoc.1 nono-profile.5)
  string(REGEX MATCH "[0-9]$" section ${page})
  set(compressed ${NONO_MAN_DIR}/${page}.gz)
  # -n: no name or timestamp inside, so the package is reproducible.
  add_custom_command(OUTPUT ${compressed}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${NONO_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/docs/man/${page} ${NONO_MAN_DIR}/${page}
    COMMAND ${NONO_GZIP} -9nf ${NONO_MAN_DIR}/${page}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/docs/man/${page}
    COMMENT "Compressing man page ${page}"
    VERBATIM)
  list(APPEND NONO_MAN_PAGES_GZ ${compressed})
  install(FILES ${compressed} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(man ALL DEPENDS ${NONO_MAN_PAGES_GZ})

# Shell completions, under the names each shell's loader looks for.
install(FILES completions/nono.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME nono)
install(FILES completions/nonoc.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME nonoc)
install(FILES completions/_nono completions/_nonoc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/nono.fish completions/nonoc.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# Editor support: the folder is a VS Code extension as it stands.
install(FILES editors/nono.tmLanguage.json editors/package.json editors/language-configuration.json
              editors/README.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/nono/editors)

install(FILES README.md docs/language.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The .deb. Dependencies come from dpkg-shlibdeps on the installed binaries.
set(NONO_PACKAGE_CONTACT "nono developers <nono@localhost>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nono)
set(CPACK_PACKAGE_VENDOR nono)
set(CPACK_PACKAGE_CONTACT ${NONO_PACKAGE_CONTACT})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "kernel-enforced sandbox profiles for agents, tools and build scripts")
set(CPACK_PACKAGE_DESCRIPTION
    "nono runs a program with only the access a profile gives it, enforced by the kernel
(Landlock and seccomp on Linux). nonoc compiles profiles into Landlock rulesets, seccomp
BPF filters and macOS Seatbelt profiles. Built-in profiles cover AI coding agents, their
tools, build scripts and package installs.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The package installs under the configured prefix, where the binaries look for the
# built-in profiles: configure with -DCMAKE_INSTALL_PREFIX=/usr for a .deb to distribute.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
include(CPack)
