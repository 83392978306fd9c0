using System.Text.RegularExpressions;

namespace Berth.Cli.Remotes;

/// <summary>What a remote may be called; "local" is the Unix socket and cannot be a remote's name.</summary>
internal static partial class RemoteName
{
    public const string Local = "local";

    public static void Validate(string name)
    {
        if (name == Local)
        {
            throw new CliException("'local' means this host's Unix socket; give the remote another name");
        }

        if (!Pattern().IsMatch(name))
        {
            throw new CliException($"'{name}' is not a remote name: 1-63 letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex Pattern();
}
