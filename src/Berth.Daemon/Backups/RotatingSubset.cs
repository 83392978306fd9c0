using System.Globalization;

namespace Berth.Daemon.Backups;

/// <summary>
/// The part of the data a rotating check reads: after <c>checksRun</c> such checks of a target, part
/// (checksRun mod N)+1 of N, so N checks in a row read every pack once (restic --read-data-subset n/N).
/// </summary>
public static class RotatingSubset
{
    /// <summary>The most parts a repository may be cut into.</summary>
    public const int MaxParts = 1000;

    public static string Part(long checksRun, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(checksRun);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parts, MaxParts);
        return string.Create(CultureInfo.InvariantCulture, $"{checksRun % parts + 1}/{parts}");
    }
}
