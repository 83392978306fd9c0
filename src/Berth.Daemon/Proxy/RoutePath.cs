using System.Text.RegularExpressions;

namespace Berth.Daemon.Proxy;

/// <summary>
/// A route's path prefix: '/' then segments of letters, digits and "._~-", always ending in '/' (so /jenkins does not
/// also take /jenkinsfoo); no "." or ".." segments, nothing nginx would read as syntax.
/// </summary>
public static partial class RoutePath
{
    public static bool TryNormalise(string? text, out string path, out string error)
    {
        path = "";
        if (string.IsNullOrEmpty(text))
        {
            path = "/";
            error = "";
            return true;
        }

        var candidate = text.EndsWith('/') ? text : text + "/";
        if (!Grammar().IsMatch(candidate) || candidate.Split('/').Any(s => s is "." or ".."))
        {
            error = $"'{text.Replace("\n", "\\n", StringComparison.Ordinal)}' is not a path prefix: start with '/', use letters, digits, '.', '_', '~' and '-' between slashes, e.g. /jenkins/";
            return false;
        }

        if (candidate.Length > 200)
        {
            error = "a path prefix is at most 200 characters";
            return false;
        }

        path = candidate;
        error = "";
        return true;
    }

    [GeneratedRegex("^/([A-Za-z0-9._~-]+/)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();
}
