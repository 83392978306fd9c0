using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Daemon.Proxy;

/// <summary>A host name as a route takes it: RFC 1123 labels, Unicode names turned into punycode, no addresses, no control characters.</summary>
public static partial class DomainName
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    /// <summary>The ASCII form of <paramref name="text"/>, or false with what is wrong with it.</summary>
    public static bool TryNormalise(string? text, out string ascii, out string error)
    {
        ascii = "";
        text = text?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(text))
        {
            error = "a domain is required, e.g. app.example.org";
            return false;
        }

        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            error = $"'{Printable(text)}' contains spaces or control characters";
            return false;
        }

        if (text.StartsWith("*.", StringComparison.Ordinal))
        {
            error = $"'{text}' is a wildcard; a route names one domain";
            return false;
        }

        string candidate;
        try
        {
            candidate = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"'{text}' is not a valid domain name (labels of letters, digits and '-', separated by dots)";
            return false;
        }

        if (candidate.Length > 253)
        {
            error = $"'{text}' is longer than 253 characters";
            return false;
        }

        var labels = candidate.Split('.');
        if (labels.Any(l => !Label().IsMatch(l)))
        {
            error = $"'{text}' is not a valid domain name: each label is 1-63 letters, digits and '-', not starting or ending with '-'";
            return false;
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            error = $"'{text}' is an address, not a domain name";
            return false;
        }

        ascii = candidate;
        error = "";
        return true;
    }

    /// <summary>The Unicode form of a stored (punycode) domain, for showing it.</summary>
    public static string ToUnicode(string ascii)
    {
        try
        {
            return Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return ascii;
        }
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();
}
