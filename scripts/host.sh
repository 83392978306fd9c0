# Shared by setup, test and .ci/run: what a Debian 12 host needs for Berth. Source it; do not run it.

# The packages Berth drives (lxc, busybox-static, debootstrap, nftables, uidmap) and the ones its tools call;
# clang and lld link the Native AOT CLI.
BERTH_PACKAGES=(lxc busybox-static debootstrap nftables uidmap rsync curl ca-certificates iproute2 dnsmasq-base btrfs-progs zstd nginx-light lego clang lld restic)

# What the tests need besides: a real Chromium for the web panel's browser tests, pebble (a test ACME server), and
# restic with its test servers: rclone (REST), openssh-server (SFTP), node and npm (s3rver, see test/fixtures/s3rver).
BERTH_TEST_PACKAGES=(chromium openssh-client wrk strace pebble rclone openssh-server)

# node and npm (the web panel is built with them, and s3rver runs on them): Debian's packages only when the host has none of its own (NodeSource's nodejs conflicts with Debian's npm).
berth_node_packages() {
    command -v node >/dev/null || echo nodejs
    command -v npm >/dev/null || echo npm
}

# openssh-server is there for the tests' own sshd on loopback: when Berth installs it, the service the install
# starts is turned off again. Only then: an sshd that was there before may be how someone reaches this host.
berth_disable_new_sshd() {
    if command -v systemctl >/dev/null; then
        systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || true
    fi
}

berth_require_root() {
    if [ "$(id -u)" != 0 ]; then
        echo "Run this as root (containers, cgroups and the firewall need it)." >&2
        exit 1
    fi
}

# Installs only what is missing, so a second run does not touch apt. LXC comes with what it recommends (uidmap,
# lxcfs, ...), as tested; extra packages (the browser) come without.
berth_install_packages() {
    local missing=() extra=()
    for p in "${BERTH_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    for p in "$@" $(berth_node_packages); do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || extra+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ] || [ ${#extra[@]} -gt 0 ]; then
        echo "Installing: ${missing[*]} ${extra[*]}"
        apt-get update -qq
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
        # berthd runs its own nginx on :80/:443; Debian's service, started by the install, would hold those ports.
        if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null; then
            systemctl disable --now nginx.service >/dev/null 2>&1 || true
        fi
    fi
    if [ ${#extra[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${extra[@]}" >/dev/null
        if [[ " ${extra[*]} " == *" openssh-server "* ]]; then
            berth_disable_new_sshd
        fi
    fi
}

# Unprivileged containers map their root to a host range reserved for root. Ranges that useradd hands to users end
# below 600100000 (SUB_UID_MAX), so Berth reserves one far above them.
berth_reserve_subids() {
    local file
    for file in /etc/subuid /etc/subgid; do
        touch "$file"
        if ! awk -F: '($1 == "root" || $1 == "0") && $3 >= 65536 { found = 1 } END { exit !found }' "$file"; then
            echo "root:1000000000:1000000000" >> "$file"
            echo "Reserved host ids 1000000000-1999999999 for unprivileged containers in $file"
        fi
    done
}

berth_require_dotnet() {
    if ! command -v dotnet >/dev/null; then
        echo "The .NET 10 SDK is needed to build Berth: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
        exit 1
    fi
}
