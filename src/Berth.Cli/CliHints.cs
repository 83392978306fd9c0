using Berth.Client;

namespace Berth.Cli;

/// <summary>
/// The CLI's own hints, added after the API's detail (which names API fields only), keyed by the problem's title.
/// </summary>
internal static class CliHints
{
    // Titles are the daemon's DomainError titles; they are stable keys, so a renamed title drops only its hint.
    private static readonly Dictionary<string, string> ByTitle = new(StringComparer.Ordinal)
    {
        ["Container not found"] = "'berth list' shows the containers there are",
        ["Network not found"] = "'berth network list' shows them",
        ["Network exists"] = "'berth network list' shows them",
        ["Storage pool not found"] = "'berth storage list' shows them",
        ["Snapshot not found"] = "'berth snapshot list CONTAINER' shows them",
        ["Job not found"] = "'berth jobs' lists recent jobs",
        ["Container busy"] = "wait for its job: 'berth jobs'",
        ["Network busy"] = "wait for its job: 'berth jobs'",
        ["Container missing"] = "'berth delete NAME' deletes it",
        ["Certificate not found"] = "'berth cert list' shows them",
        ["Invalid tls"] = "'berth cert list' shows the names",
        ["Forward not found"] = "'berth forward list CONTAINER' shows them",
        ["Key not found"] = "'berth ssh-key list CONTAINER' shows them",
        ["Container already running"] = "'berth restart NAME' restarts it",
        ["Container frozen"] = "'berth unfreeze NAME' unfreezes it",
        ["No such user"] = "'berth user list' shows them",
        ["Route exists"] = "'berth route remove DOMAIN[/PATH]' removes it",
        ["Route not found"] = "'berth route list' shows them",
        ["Domain in use"] = "'berth route list' shows the routes",
        ["Host service port"] = "berth forward add --force forwards it anyway",
        ["Backup target not found"] = "'berth backup target list' shows them",
        ["Backup not found"] = "'berth backup list' shows them",
        ["Invalid read-data-parts"] = "--read-data-parts takes 1 to 1000, without --read-data-subset",
        ["No backup to verify"] = "'berth backup run NAME' makes one",
        ["No update yet"] = "'berth update run CONTAINER' runs one",
        ["Repository exists"] = "add it with --password-stdin, giving the password 'berth backup target key' printed where it was made",
        ["Target needed"] = "give --target, or 'berth config set CONTAINER backups.target=NAME'",
        ["Alias needed"] = "berth image build BASE --packages P1,P2 --alias NAME",
        ["Not a btrfs filesystem"] = "berth storage create NAME --driver btrfs --source DIR, or --size 20GiB",
        ["Size needs btrfs"] = "leave out --size, or give --driver btrfs",
        ["Source or size needed"] = "give --source DIR or --size 20GiB",
        ["Read-only token"] = "berth token create NAME without --read-only",
        ["No IPv6 address"] = "berth network create NAME --ipv6 SUBNET makes a network with IPv6",
        ["Container has no network"] = "berth launch --network NAME, or berth config set NAME network=NET",
        ["Address taken"] = "leave out --ip to get a free one",
        ["A wildcard needs DNS-01"] = "berth cert issue --challenge dns",
        ["Redirect without HTTPS"] = "leave out --redirect-https or --tls off",
        ["TLS differs"] = "give the same --tls, or leave it out",
        ["Invalid checksum file"] = "pass the checksum with --sha256 HEX",
        ["Subnet needed"] = "berth network create NAME --subnet CIDR",
        ["Subnet outside the member range"] = "leave out --subnet, or give one inside the range",
        ["Network from the host network file"] = "edit the file, then 'berth host apply FILE' ('berth host show' shows what is applied)",
    };

    // A detail names the request field to set; the CLI says which flag sets it (titles like "Container is running" are shared).
    private static readonly (string Field, string Flag)[] FlagsByField =
    [
        ("force: true", "--force"),
        ("stop: true", "--stop"),
        ("mkdirs=true", "berth file push -p"),
        ("recursive=true", "-r"),
        ("ipv6: SUBNET", "--ipv6"),
        ("alias: NAME", "--alias"),
    ];

    /// <summary>" (hint)" for a problem the CLI has a hint for, else "".</summary>
    public static string For(Exception exception) => exception switch
    {
        BerthApiException { Status: 401 } => " (berth sends a remote's token from 'berth remote add', or BERTH_TOKEN over BERTH_URL: a token from 'berth token create' or the admin token)",
        BerthApiException { Title: { } title } when ByTitle.TryGetValue(title, out var hint) => $" ({hint})",
        BerthApiException { Detail: { } detail } => FlagFor(detail),
        _ => "",
    };

    private static string FlagFor(string detail)
    {
        foreach (var (field, flag) in FlagsByField)
        {
            if (detail.Contains(field, StringComparison.Ordinal))
            {
                return $" ({flag} sets {field})";
            }
        }

        return "";
    }
}
