using System.CommandLine;

namespace Berth.Cli.Output;

/// <summary>The <c>--format</c> option of a command; the first allowed value is the default.</summary>
internal static class FormatOption
{
    public const string Json = "json";
    public const string Table = "table";
    public const string Text = "text";

    public static Option<string> Create(params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", allowed)}",
            DefaultValueFactory = _ => allowed[0],
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }
}
