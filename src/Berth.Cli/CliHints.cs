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
        ["Host service port"] = "berth forward add --force forwards it anyway",
        ["Backup target not found"] = "'berth backup target list' shows them",
        ["Backup not found"] = "'berth backup list' shows them",
        ["Repository exists"] = "add it with --password-stdin, giving the password 'berth backup target key' printed where it was made",
        ["Target needed"] = "give --target, or 'berth config set CONTAINER backups.target=NAME'",
    };

    // A detail names the request field to set; the CLI says which flag sets it (titles like "Container is running" are shared).
    private static readonly (string Field, string Flag)[] FlagsByField =
    [
        ("force: true", "--force"),
        ("stop: true", "--stop"),
        ("mkdirs=true", "berth file push -p"),
        ("recursive=true", "-r"),
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
