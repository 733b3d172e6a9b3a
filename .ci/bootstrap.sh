# Sourced by .ci/serve, .ci/test and .ci/run: finds a Python >= 3.12 and keeps .venv in step
# with the requirements. Idempotent: a second run with unchanged requirements installs nothing.
# Override the interpreter with GAMEARENA_PYTHON=/path/to/python3.x, the venv with GAMEARENA_VENV.

set -euo pipefail

GA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GA_VENV="${GAMEARENA_VENV:-$GA_ROOT/.venv}"
GA_MIN_PYTHON="3.12"

ga_say() { printf '\033[1m[gamearena]\033[0m %s\n' "$*" >&2; }
ga_die() { printf '\033[1;31m[gamearena] error:\033[0m %s\n' "$*" >&2; exit 1; }

ga_python_ok() {
    # True when $1 runs, is >= 3.12 and can create virtual environments.
    "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1
}

ga_python_candidates() {
    [ -n "${GAMEARENA_PYTHON:-}" ] && echo "$GAMEARENA_PYTHON"
    # Newest first among the usual names; 3.13 is the preferred version.
    for name in python3.13 python3.14 python3.12 python3; do
        command -v "$name" 2>/dev/null || true
    done
    # pyenv keeps interpreters out of PATH unless selected: look in its versions directly.
    local roots=()
    command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root 2>/dev/null)")
    roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
    for root in "${roots[@]}"; do
        [ -d "$root/versions" ] || continue
        ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV | while read -r dir; do
            [ -x "$dir/bin/python3" ] && echo "$dir/bin/python3"
        done
    done
    # uv- and Debian-installed interpreters.
    ls -d /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9] 2>/dev/null | sort -rV || true
}

ga_find_python() {
    local candidate
    while read -r candidate; do
        [ -n "$candidate" ] || continue
        if ga_python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done < <(ga_python_candidates | awk '!seen[$0]++')
    ga_die "no Python >= $GA_MIN_PYTHON with the venv module was found.
  Install one (Debian/Ubuntu: apt-get install python3.13 python3.13-venv, or pyenv install 3.13),
  or point GAMEARENA_PYTHON at it."
}

ga_venv_healthy() {
    [ -x "$GA_VENV/bin/python" ] && ga_python_ok "$GA_VENV/bin/python"
}

ga_ensure_venv() {
    if ga_venv_healthy; then
        return 0
    fi
    local python
    python="$(ga_find_python)"
    ga_say "creating $GA_VENV with $("$python" -c 'import sys; print(sys.version.split()[0])') ($python)"
    rm -rf "$GA_VENV"
    "$python" -m venv "$GA_VENV"
    "$GA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
}

ga_install_requirements() {
    # $1: requirements file. Reinstalls only when its content (or what it includes) changed.
    local file="$1" stamp digest
    digest="$(cat "$GA_ROOT/requirements.txt" "$file" | sha256sum | cut -d' ' -f1)"
    stamp="$GA_VENV/.installed-$(basename "$file").sha256"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
        return 0
    fi
    ga_say "installing $(basename "$file") into $GA_VENV"
    "$GA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$file"
    echo "$digest" > "$stamp"
}

ga_build_engine() {
    # The engine compiled by mypyc (battles/engine/native.py): the same sources, about twice the
    # speed. A build exists per version of the sources, so this is instant when nothing changed.
    # Without a C compiler it cannot be made and the engine runs its Python sources: correct,
    # only slower. With GAMEARENA_REQUIRE_SERVICES=1 (CI) that is a failure.
    ga_install_requirements "$GA_ROOT/.ci/requirements-build.txt"
    if (cd "$GA_ROOT" && "$GA_VENV/bin/python" -m battles.engine.native_build); then
        return 0
    fi
    if [ "${GAMEARENA_REQUIRE_SERVICES:-0}" = "1" ]; then
        ga_die "the compiled engine could not be built, and GAMEARENA_REQUIRE_SERVICES=1"
    fi
    ga_say "warning: the engine runs its Python sources, at about half the speed (see above)"
}

ga_bot_runtime() {
    # What bots run on: the system /usr/bin/python3 (the only interpreter the sandbox mounts),
    # with numpy, as CodinGame's Python had; contest bots crash on their first turn without it.
    # Root installs it with apt-get; anyone else is told the command. With
    # GAMEARENA_REQUIRE_SERVICES=1 (CI) a runtime still missing afterwards is a failure.
    local python=/usr/bin/python3 packages=(python3-numpy)
    if [ -x "$python" ] && "$python" -c 'import numpy' 2>/dev/null; then
        return 0
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        ga_say "installing the bots' runtime: apt-get install ${packages[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
                apt-get install -y -qq "${packages[@]}" >/dev/null; } || true
        "$python" -c 'import numpy' 2>/dev/null && return 0
    fi
    if [ "${GAMEARENA_REQUIRE_SERVICES:-0}" = "1" ]; then
        ga_die "the bots' Python ($python) has no numpy, and GAMEARENA_REQUIRE_SERVICES=1;
  install it: sudo apt-get install ${packages[*]}"
    fi
    ga_say "warning: the bots' Python ($python) has no numpy: bots importing it crash on turn 1;
  install it: sudo apt-get install ${packages[*]}"
}
