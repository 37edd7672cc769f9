#!/usr/bin/env bash
# Prints the home of a JDK >= 25: JAVA_HOME if it is one, else the newest JDK under /usr/lib/jvm
# (or /opt/java, ~/.sdkman). Exits 1 with an installation hint when there is none.
set -u

jdk_major() { # $1 = JDK home; prints its major version or nothing
  local rel="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$rel" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
}

if [ -n "${JAVA_HOME:-}" ]; then
  v=$(jdk_major "$JAVA_HOME")
  if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; exit 0; fi
fi

best="" best_v=0
for home in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
  [ -d "$home" ] || continue
  home=$(readlink -f "$home")
  v=$(jdk_major "$home")
  if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ]; then best="$home" best_v="$v"; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi

echo "unicom4j needs a JDK 25 or newer and found none (JAVA_HOME=${JAVA_HOME:-unset}, nothing >= 25 in /usr/lib/jvm)." >&2
echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or set JAVA_HOME to a JDK 25." >&2
exit 1
