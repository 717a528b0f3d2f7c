#!/usr/bin/env bash
# Builds the console as a self-contained application for the platform this runs on (jpackage builds
# for its own platform only): a Java runtime with JavaFX's modules linked in, the console jar, and a
# launcher — nothing to install first, no JavaFX natives unpacked into the user's home.
#
#   desktop/app-image.sh [TYPE]     TYPE: app-image (default; a folder), or an installer type that
#                                   jpackage knows on this system: deb, rpm (Linux), msi, exe
#                                   (Windows, needs WiX), dmg, pkg (macOS)
#
# Run after `./mvnw -B -DskipTests package` (with -Pplatform-win / -Pplatform-mac /
# -Pplatform-mac-aarch64 / -Pplatform-linux-aarch64 on those systems: the jar and target/javafx
# must hold this platform's natives). Output: desktop/target/app/ (README.md, "Every desktop").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
type=${1:-app-image}
jar=$here/target/kloaka-console.jar
javafx=$here/target/javafx
if [ ! -f "$jar" ] || [ ! -d "$javafx" ]; then
  echo "app-image: build first: ./mvnw -B -DskipTests package" >&2
  exit 1
fi
jpackage=jpackage
if [ -n "${JAVA_HOME:-}" ]; then jpackage=$JAVA_HOME/bin/jpackage; fi
input=$here/target/app-input
out=$here/target/app
rm -rf "$input" "$out"
mkdir -p "$input"
cp "$jar" "$input/"
# The JDK modules the console's class path uses (from `jdeps --print-module-deps`, plus
# jdk.crypto.ec for TLS to a remote backend and jdk.localedata for the operator's locale), and the
# JavaFX modules from target/javafx, as ./kloaka loads them.
jdk=java.base,java.compiler,java.naming,java.net.http,java.prefs,java.sql,java.management,jdk.jfr
jdk=$jdk,jdk.jsobject,jdk.management,jdk.unsupported,jdk.unsupported.desktop,jdk.xml.dom
jdk=$jdk,jdk.crypto.ec,jdk.localedata,java.desktop,java.logging,java.xml
"$jpackage" --type "$type" --name Kloaka --app-version 0.1.0 \
  --vendor Kloaka --description "Kloaka sewer-line monitoring: the operator's console" \
  --input "$input" --main-jar kloaka-console.jar --main-class org.kloaka.console.Launcher \
  --module-path "$javafx" \
  --add-modules "$jdk",javafx.controls,javafx.web,javafx.swing,javafx.media \
  --dest "$out"
echo "app-image: built $(ls "$out") in $out" >&2
