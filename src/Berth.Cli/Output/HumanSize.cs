using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Byte counts in binary units with one decimal at most: 512 B, 1.4 MiB, 256 MiB.</summary>
internal static class HumanSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Format(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        double rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        // 1023.96 KiB rounds to 1024.0: say 1 MiB instead.
        if (rounded >= 1024 && unit < Units.Length - 1)
        {
            rounded = Math.Round(rounded / 1024, 1, MidpointRounding.AwayFromZero);
            unit++;
        }

        return $"{rounded.ToString("0.#", CultureInfo.InvariantCulture)} {Units[unit]}";
    }
}
