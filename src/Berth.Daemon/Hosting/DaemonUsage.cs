namespace Berth.Daemon.Hosting;

/// <summary>berthd --help, and the check that every switch given is one berthd knows (a typo must not be ignored).</summary>
public static class DaemonUsage
{
    public const string Text = """
        berthd: the Berth daemon (REST API, web panel, jobs, reconciler)

        Usage: berthd [options]

          --state-dir DIR                state directory (default /var/lib/berth; BERTH_DIR)
          --http 127.0.0.1:PORT          also serve the API and the web panel over HTTP on a loopback address
          --https ADDRESS:PORT           serve them over HTTPS, on any address (e.g. 0.0.0.0:8443; BERTH_HTTPS)
          --tls-cert FILE --tls-key FILE PEM certificate and key for --https (BERTH_TLS_CERT, BERTH_TLS_KEY;
                                         default: a self-signed one, made at the first start in STATE_DIR/tls)
          --print-fingerprint            print the HTTPS certificate's SHA-256 fingerprint and exit
          --images-dir DIR               image cache (default STATE_DIR/images)
          --reconcile-interval HH:MM:SS  how often the store is compared with LXC (default 00:00:10)
          --stop-timeout SECONDS         how long a graceful stop waits (default 30)
          --debian-mirror URL            where Debian images come from (default: the mirror the host's apt uses)
          --nft-table NAME               the nftables table Berth owns (default berth)
          --ssh-ports FIRST-LAST         host ports for 'berth ssh enable' (default 40000-50000)
          --member-ports FIRST-LAST      host ports members may forward (default 30000-39999)
          --member-subnets CIDR          IPv4 range members' networks come from, a /24 each (default: any free subnet)
          --default-network CIDR|none    subnet of the default network, made at first start
          --default-network-name NAME    name of the default network and its bridge (default berth0)
          --proxy-http ADDR:PORT|off     where the proxy (nginx) takes HTTP for 'berth route' (default [::]:80,
                                         IPv6 and IPv4, on a host with IPv6, else 0.0.0.0:80); off: no proxy
          --proxy-https ADDR:PORT|off    where the proxy takes HTTPS (default [::]:443 or 0.0.0.0:443)
          --acme-directory URL           the ACME server for --tls auto and 'berth cert issue'
                                         (default https://acme-v02.api.letsencrypt.org/directory)
          --acme-email ADDRESS           the ACME account's email; ACME is refused without it
          --acme-ca-certificates FILE    PEM CA certificates to trust for the ACME server (a test CA)
          --acme-dns-hook PROGRAM        DNS-01: run as 'PROGRAM present|cleanup FQDN VALUE' to set TXT records
          --acme-dns-resolver HOST:PORT  DNS-01: the resolver that checks the record is visible
          --member-domains PATTERNS      the domains members may route, comma-separated: *.members.example.org
                                         (every name below it) or an exact name (default: none)
          --audit-retention PERIOD       how long the audit log keeps a record: 90d, 12w, 36h (default 90d)
          --console-grace PERIOD         how long a console whose connection dropped waits for a reattach:
                                         60s, 5m (default 60s)
          --metrics-interval PERIOD      how often the metrics history takes a point: 60s, 1m (default 60s)
          --backup-schedule @daily|CRON  back up every container without backups.schedule then (UTC)
          --backup-keep RULES            what scheduled backups keep without backups.keep: last=3,daily=7,...
          --check-schedule @weekly|CRON  run restic check (structure) on every backup target then
          --check-read-parts N           each scheduled check also reads the next of N parts of the data,
                                         so N checks read it all; 0 for the structure only (default 12)
          --restore-test-schedule @monthly|CRON  restore one random backup of every target into a scratch
                                         directory and compare it with its listing (default @monthly; "" never)
          --updates-auto true|false      update containers without updates.auto unattended (default false)
          --updates-every PERIOD         how long after its last update one is due: 7d, 15d (default 7d)
          --updates-window HH:MM-HH:MM   when (UTC) due updates run, e.g. 02:00-05:00 (default any time)
          --Berth:SECTION:KEY VALUE      any other setting, e.g. --Berth:Storage:SchedulerInterval 00:00:30
          -h, --help                     show this help

        """;

    public const string PrintFingerprint = "--print-fingerprint";

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help" or "-?");

    /// <summary>The first switch berthd does not know, or null when all are known.</summary>
    public static string? FirstUnknown(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args)
        {
            if (!arg.StartsWith('-'))
            {
                continue;
            }

            var name = arg.Split('=', 2)[0];
            if (!DaemonCommandLine.Switches.ContainsKey(name) && name != PrintFingerprint && !name.StartsWith("--Berth:", StringComparison.Ordinal))
            {
                return arg;
            }
        }

        return null;
    }
}
