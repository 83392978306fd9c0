namespace Berth.Daemon.Proxy;

/// <summary>A banned domain: an exact name, or "*.suffix" for every name below the suffix (at any depth, not the suffix itself).</summary>
public static class DomainBan
{
    /// <summary>The pattern in its stored form (punycode, lower case), or false with what is wrong with it.</summary>
    public static bool TryNormalise(string? text, out string pattern, out string error)
    {
        pattern = "";
        var wildcard = text?.Trim().StartsWith("*.", StringComparison.Ordinal) == true;
        if (!DomainName.TryNormalise(wildcard ? text!.Trim()[2..] : text, out var ascii, out error))
        {
            return false;
        }

        pattern = wildcard ? "*." + ascii : ascii;
        return true;
    }

    public static bool Matches(string pattern, string domain)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(domain);
        return pattern.StartsWith("*.", StringComparison.Ordinal)
            ? domain.EndsWith(pattern[1..], StringComparison.Ordinal)
            : domain == pattern;
    }
}
