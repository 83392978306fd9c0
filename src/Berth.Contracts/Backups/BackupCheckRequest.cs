namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/backup-targets/{target}/check</c>.</summary>
public sealed record BackupCheckRequest
{
    /// <summary>Also read back this much of the data (restic --read-data-subset): 10% or n/m like 1/5; default: the structure only.</summary>
    public string? ReadDataSubset { get; init; }
    /// <summary>Read the next of this many parts of the data (1-1000): each such check of the target reads the part after the last one's, so this many read it all.</summary>
    public int? ReadDataParts { get; init; }
}
