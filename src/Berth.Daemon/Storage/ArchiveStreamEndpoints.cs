using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Storage;

/// <summary>
/// GET /api/v1/containers/{name}/export: the archive itself as the response, so a member (or a remote CLI) exports
/// without naming a host path. The export job writes it to a private transfer file, which is unlinked as soon as it
/// is opened for sending.
/// </summary>
public static class ArchiveStreamEndpoints
{
    public const string ContentType = "application/zstd";

    // A whole container with its snapshots may take long to write; the request waits for it.
    private static readonly TimeSpan LongestExport = TimeSpan.FromHours(12);

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/containers/{name}/export", async (string name, bool? snapshots, StorageService storage, ArchiveTransfers transfers, JobQueue jobs, CancellationToken ct) =>
        {
            var file = transfers.NewFile(ContainerName.IsValid(name) ? name + ".tar.zst" : "export.tar.zst");
            JobRecord? job = null;
            try
            {
                job = await storage.ExportForDownloadAsync(name, file, snapshots == true, ct).ConfigureAwait(false);
                var done = await jobs.WaitAsync(job.Id, LongestExport, ct).ConfigureAwait(false);
                if (done?.Status != JobStatus.Succeeded)
                {
                    throw DomainError.Conflict("Export failed", $"exporting '{name}' failed: {done?.Error ?? "the job did not finish"}; GET /api/v1/jobs/{job.Id} shows it.");
                }

                var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                transfers.Remove(file);
                return Results.File(stream, ContentType, $"{name}.tar.zst");
            }
            catch (OperationCanceledException) when (job is not null)
            {
                // The caller left: the job goes on writing, so its file goes once it ends.
                _ = RemoveWhenDoneAsync(jobs, transfers, job.Id, file);
                throw;
            }
            catch
            {
                transfers.Remove(file);
                throw;
            }
        }).WithTags("Containers").Reads(ObjectKind.Container);
    }

    private static async Task RemoveWhenDoneAsync(JobQueue jobs, ArchiveTransfers transfers, string jobId, string file)
    {
        try
        {
            await jobs.WaitAsync(jobId, LongestExport, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            transfers.Remove(file);
        }
    }
}
