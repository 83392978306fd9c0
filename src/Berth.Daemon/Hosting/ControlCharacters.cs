using System.Globalization;
using System.Text;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Control characters end a line in every file Berth renders (LXC, dnsmasq, nft): a value holding one could add
/// its own line. Inputs refuse them where they enter; renderers refuse them again before writing.
/// </summary>
public static class ControlCharacters
{
    public static bool Any(string? value) => value is not null && value.Any(char.IsControl);

    /// <summary>Throws when a rendered value holds a control character (a check that passed upstream let it through).</summary>
    public static string RefuseIn(string value, string file)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Any(value)
            ? throw new InvalidOperationException($"refusing to render a control character into {file}: {Visible(value)}")
            : value;
    }

    /// <summary>The text with each control character written as \n, \0 or \xNN, so a message shows what was sent.</summary>
    public static string Visible(string? value)
    {
        if (value is null || !Any(value))
        {
            return value ?? "";
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
