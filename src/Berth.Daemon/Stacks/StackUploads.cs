using System.Collections.Concurrent;

namespace Berth.Daemon.Stacks;

/// <summary>Uploads waiting for their stack.up job, by job id; held in memory only (a restarted daemon asks for a new up).</summary>
public sealed class StackUploads
{
    private readonly ConcurrentDictionary<string, StackUpload> _uploads = new(StringComparer.Ordinal);

    public void Add(string jobId, StackUpload upload) => _uploads[jobId] = upload;

    public StackUpload? Take(string jobId) => _uploads.TryRemove(jobId, out var upload) ? upload : null;
}
