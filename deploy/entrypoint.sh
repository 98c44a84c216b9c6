#!/bin/sh
# Entry point of the retroact image (deploy/Dockerfile); docker-compose.yml and docs/DEPLOY.md use it.
#
#   entrypoint.sh node --roles rollout --port 4053 --seeds akka.tcp://retroact@seed:4053 ...
#       runs `retroact node ...` with, unless the arguments already give them:
#         --host 0.0.0.0            (RETROACT_HOST overrides) so the other containers can connect;
#         --public-host ADDRESS     RETROACT_PUBLIC_HOST if set, else this container's own IP (`hostname -i`,
#                                   first non-loopback address), so that every replica of a scaled service
#                                   (`docker compose up --scale rollout=8`) has an address the others can reach;
#         --resume                  only with RETROACT_AUTO_RESUME=1, on a node with the learner role whose
#                                   --run-dir already holds checkpoints/latest.txt (a restarted learner continues
#                                   its run instead of repeating the imitation stage). Resuming a run that has
#                                   finished trains nothing and keeps its results; the node then exits 0.
#       Options only (e.g. `entrypoint.sh --roles seed`) mean the same as `node --roles seed`.
#   entrypoint.sh train|eval|env|data|bench|cluster|--help ...
#       runs `retroact ...` as given.
#
# The command is exec'ed: retroact becomes the container's main process and receives docker's SIGTERM itself, and
# leaves the cluster gracefully through CoordinatedShutdown. RETROACT_DRY_RUN=1 prints the command (one argument
# per line) instead of running it; the tests use that.
set -eu

# 0 when one of the arguments after $1 is the option $1 (--name VALUE, --name=VALUE or --name:VALUE).
has_option() {
    name=$1
    shift
    for arg in "$@"; do
        case $arg in
            "$name" | "$name"=* | "$name":*) return 0 ;;
        esac
    done
    return 1
}

# Prints the value of the option $1 among the arguments after it; 1 when it is absent.
option_value() {
    name=$1
    shift
    while [ "$#" -gt 0 ]; do
        case $1 in
            "$name")
                if [ "$#" -ge 2 ]; then
                    printf '%s\n' "$2"
                    return 0
                fi
                ;;
            "$name"=* | "$name":*)
                printf '%s\n' "${1#"$name"?}"
                return 0
                ;;
        esac
        shift
    done
    return 1
}

# This container's address on its network: the first IPv4 address that `hostname -i` gives and that is not a
# loopback address, else its first non-loopback address, else the address /etc/hosts gives this host name (docker
# writes "IP HOSTNAME" there for every container).
container_ip() {
    addresses=$(hostname -i 2>/dev/null || true)
    for address in $addresses; do
        case $address in
            127.* | *:*) ;;
            *)
                printf '%s\n' "$address"
                return 0
                ;;
        esac
    done
    for address in $addresses; do
        case $address in
            127.* | ::1) ;;
            *)
                printf '%s\n' "$address"
                return 0
                ;;
        esac
    done
    awk -v name="$(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null || true)" '$1 !~ /^#/ && $1 !~ /^127\./ && $1 != "::1" { for (i = 2; i <= NF; i++) if ($i == name) { print $1; exit } }' /etc/hosts
}

run() {
    if [ "${RETROACT_DRY_RUN:-0}" = 1 ]; then
        printf '%s\n' "$@"
        exit 0
    fi
    exec "$@"
}

if [ "$#" -eq 0 ]; then
    run retroact --help
fi
case $1 in
    node) shift ;;
    -h | --help | -\? | --version) run retroact "$@" ;;
    -*) ;; # options only: a node
    *) run retroact "$@" ;;
esac

if ! has_option --host "$@"; then
    set -- "$@" --host "${RETROACT_HOST:-0.0.0.0}"
fi

if ! has_option --public-host "$@"; then
    public_host=${RETROACT_PUBLIC_HOST:-}
    if [ -z "$public_host" ]; then
        public_host=$(container_ip)
    fi
    if [ -z "$public_host" ]; then
        echo "entrypoint: cannot tell this container's IP address (hostname -i gave '$(hostname -i 2>/dev/null || true)');" \
             "set RETROACT_PUBLIC_HOST to an address the other nodes reach this one at" >&2
        exit 1
    fi
    set -- "$@" --public-host "$public_host"
fi

if [ "${RETROACT_AUTO_RESUME:-0}" = 1 ] && ! has_option --resume "$@"; then
    roles=$(option_value --roles "$@" || true)
    run_dir=$(option_value --run-dir "$@" || true)
    case ",$roles," in
        *,learner,*)
            if [ -n "$run_dir" ] && [ -f "$run_dir/checkpoints/latest.txt" ]; then
                stage=$(tr -d '[:space:]' < "$run_dir/checkpoints/latest.txt")
                echo "entrypoint: $run_dir/checkpoints/latest.txt names checkpoint '$stage': resuming the run (--resume)" >&2
                set -- "$@" --resume
            fi
            ;;
    esac
fi

run retroact node "$@"
