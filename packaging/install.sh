#!/usr/bin/env bash
# Installs a built javalived (cli/target/javalived.jar: 'mvn -B -q -DskipTests package' first):
#   PREFIX/share/javalived/javalived.jar    the program
#   PREFIX/share/javalived/javalived.jsa    its class archive, for fast starts of the short commands (status,
#                                           ipvs, reload, check), built here by build-cds-archive (below) for
#                                           this JVM; not with --destdir: the archive only fits the jar at its
#                                           final path, run PREFIX/share/javalived/build-cds-archive there
#   PREFIX/share/javalived/javalived-daemon.jsa   the daemon's class archive (build-cds-archive --daemon): a shorter,
#                                           cheaper start of 'javalived run' with -XX:SharedArchiveFile=... (same rules)
#   PREFIX/share/javalived/build-cds-archive   rebuilds them (after a JVM update); the launcher works without them
#   PREFIX/share/javalived/javalived.native/  jnr-ffi's native stub, written there by the first command that needs it
#   PREFIX/bin/javalived                    the launcher (runs the jar above; never builds)
#   PREFIX/share/man/man1/javalived.1.gz    javalived(1), generated from the CLI ('javalived man')
#   PREFIX/share/bash-completion/completions/javalived   bash completion ('javalived generate-completion')
#   PREFIX/lib/systemd/system/javalived.service            (ExecStart follows PREFIX)
#   /etc/default/javalived                  DAEMON_ARGS / JAVALIVED_JAVA_OPTS (kept if it exists)
# It does not start, enable or reload anything: it prints the systemctl commands to run. The list of installed
# files is kept in PREFIX/share/javalived/installed-files; --uninstall removes them (and the list) again, but
# keeps /etc/default/javalived (remove it by hand).
#
# usage: packaging/install.sh [--prefix DIR (default /usr)] [--destdir DIR (staging root, default none)]
#                             [--jar FILE] [--unitdir DIR (default PREFIX/lib/systemd/system)] [--sysconfdir DIR]
#        packaging/install.sh --uninstall [--prefix DIR] [--destdir DIR]
set -euo pipefail
src=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
prefix=/usr
destdir=
jar=$src/cli/target/javalived.jar
unitdir=
sysconfdir=/etc
uninstall=
usage() { sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --destdir) destdir=${2:?--destdir needs a directory}; shift 2 ;;
    --destdir=*) destdir=${1#*=}; shift ;;
    --jar) jar=${2:?--jar needs a file}; shift 2 ;;
    --jar=*) jar=${1#*=}; shift ;;
    --unitdir) unitdir=${2:?--unitdir needs a directory}; shift 2 ;;
    --unitdir=*) unitdir=${1#*=}; shift ;;
    --sysconfdir) sysconfdir=${2:?--sysconfdir needs a directory}; shift 2 ;;
    --sysconfdir=*) sysconfdir=${1#*=}; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
case $prefix in /*) ;; *) echo "install.sh: --prefix must be absolute (got '$prefix')" >&2; exit 2 ;; esac
prefix=${prefix%/}
unitdir=${unitdir:-$prefix/lib/systemd/system}
destdir=${destdir%/}
manifest=$prefix/share/javalived/installed-files
if [ -n "$uninstall" ]; then
  if [ ! -f "$destdir$manifest" ]; then
    echo "install.sh: $manifest not found - nothing installed under --prefix $prefix" >&2
    exit 1
  fi
  while IFS= read -r f; do
    case $f in
      "$sysconfdir/default/javalived"|*/default/javalived) echo "keeping $f" ;;
      /*) rm -f -- "$destdir$f" && echo "removed $f" ;;
    esac
  done < "$destdir$manifest"
  rm -f -- "$destdir$manifest"
  rmdir -- "$destdir$prefix/share/javalived/javalived.native" 2>/dev/null || true
  rmdir -- "$destdir$prefix/share/javalived" 2>/dev/null || true
  [ -n "$destdir" ] || echo "then: systemctl daemon-reload (stop it first if it runs: systemctl disable --now javalived)"
  exit 0
fi
if [ ! -f "$jar" ]; then
  echo "install.sh: $jar not found - build it first: (cd $src && mvn -B -q -DskipTests package)" >&2
  exit 1
fi
java=java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; fi
if ! command -v "$java" >/dev/null; then
  echo "install.sh: no java on PATH - install a Java 17 runtime (apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi

installed=()
put() { # put MODE SOURCE TARGET (TARGET without DESTDIR)
  install -D -m "$1" "$2" "$destdir$3"
  installed+=("$3")
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

put 0644 "$jar" "$prefix/share/javalived/javalived.jar"
put 0755 "$src/packaging/build-cds-archive" "$prefix/share/javalived/build-cds-archive"
put 0755 "$src/javalived" "$prefix/bin/javalived"
# generated from the jar being installed, so they match its commands and options
"$java" -jar "$jar" generate-completion -o "$tmp/javalived.bash"
put 0644 "$tmp/javalived.bash" "$prefix/share/bash-completion/completions/javalived"
"$java" -jar "$jar" man -o "$tmp/javalived.1"
gzip -9n "$tmp/javalived.1"
put 0644 "$tmp/javalived.1.gz" "$prefix/share/man/man1/javalived.1.gz"
sed "s|/usr/bin/javalived|$prefix/bin/javalived|g; s|/etc/default/javalived|$sysconfdir/default/javalived|g" \
  "$src/packaging/javalived.service" > "$tmp/javalived.service"
put 0644 "$tmp/javalived.service" "$unitdir/javalived.service"
if [ -e "$destdir$sysconfdir/default/javalived" ]; then
  echo "install.sh: keeping the existing $sysconfdir/default/javalived" >&2
else
  put 0644 "$src/packaging/javalived.default" "$sysconfdir/default/javalived"
fi

# the class archive: built at the jar's final path only (it records that path); listed either way, so that
# --uninstall also removes one built later by build-cds-archive
archive=$prefix/share/javalived/javalived.jsa
if [ -z "$destdir" ]; then
  if ! "$prefix/share/javalived/build-cds-archive" "$prefix/share/javalived/javalived.jar" "$archive"; then
    echo "install.sh: no class archive (the short commands start slower; retry with" \
      "$prefix/share/javalived/build-cds-archive $prefix/share/javalived/javalived.jar)" >&2
  fi
fi
# the daemon's class archive, the same way (its training runs 'javalived run --ipvs-dry-run' on loopback for ~10 s)
daemon_archive=$prefix/share/javalived/javalived-daemon.jsa
if [ -z "$destdir" ]; then
  if ! "$prefix/share/javalived/build-cds-archive" --daemon "$prefix/share/javalived/javalived.jar" "$daemon_archive"; then
    echo "install.sh: no class archive for the daemon (it starts slower; retry with" \
      "$prefix/share/javalived/build-cds-archive --daemon $prefix/share/javalived/javalived.jar)" >&2
  fi
fi
# and jnr-ffi's native stub, written next to the jar by the first command that needs it (see the launcher)
native=$prefix/share/javalived/javalived.native
printf '%s\n' "${installed[@]}" "$archive" "$archive.jvm" "$daemon_archive" "$daemon_archive.jvm" \
  "$native/libjffi-1.2.so" "$manifest" > "$tmp/installed-files"
put 0644 "$tmp/installed-files" "$manifest"
printf 'installed %s\n' "${installed[@]}"
if [ -f "$destdir$archive" ]; then
  echo "installed $archive"
elif [ -n "$destdir" ]; then
  echo "once in place: $prefix/share/javalived/build-cds-archive $prefix/share/javalived/javalived.jar" \
    "(class archive: faster short commands)"
fi
if [ -f "$destdir$daemon_archive" ]; then
  echo "installed $daemon_archive"
elif [ -n "$destdir" ]; then
  echo "once in place: $prefix/share/javalived/build-cds-archive --daemon $prefix/share/javalived/javalived.jar" \
    "(the daemon's class archive: a cheaper start)"
fi
if [ -z "$destdir" ]; then
  cat <<MSG
next steps (as root):
  javalived check -f /etc/keepalived/keepalived.conf    # exit 0: keepalived -t would accept it too
  systemctl daemon-reload
  systemctl disable --now keepalived                     # javalived.service Conflicts= keepalived.service
  systemctl enable --now javalived
MSG
fi
