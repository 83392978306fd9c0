using System.Text.Json;

namespace Berth.Cli.Output;

/// <summary>Enum values as the API spells them (kebab-case), so text and JSON output agree.</summary>
internal static class EnumText
{
    public static string Format<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
