using Berth.Daemon.Events;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>
/// cert.issue: orders a certificate with lego and installs it as a Berth certificate (origin acme). A failure leaves
/// nothing of the new one behind and the old one (if any) served; it is counted, put off by a backoff and reported.
/// </summary>
public sealed partial class AcmeJobs(
    AcmeStore acme,
    CertificateStore certificates,
    CertificateFiles files,
    CertificateLock certificateLock,
    LegoClient lego,
    ReverseProxy proxy,
    ProxyPaths paths,
    EventBroker events,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<AcmeJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [ProxyJobKinds.CertificateIssue];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Args<CertificateArgs>().Name;
        var ct = context.CancellationToken;

        // lego carries the job's tag, so the recovery after a crash finds and stops it.
        Processes.JobProcessTag.Enter(context.Job.Id);
        var request = await acme.GetAsync(name, ct).ConfigureAwait(false)
            ?? throw DomainError.NotFound("Certificate not wanted", $"there is no ACME request named '{name}' any more; it was removed.");
        var existing = (await certificates.ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(c => c.Name == name);
        if (existing is not null && time.GetUtcNow() < existing.RenewAt)
        {
            context.Report($"{name} is valid until {existing.NotAfter:u} and due for renewal at {existing.RenewAt:u}; nothing to do");
            return;
        }

        try
        {
            await IssueAsync(context, request, existing, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failures = request.Failures + 1;
            var next = time.GetUtcNow() + AcmeService.Backoff(failures, options.Value.AcmeRetryBase, options.Value.AcmeRetryMax);
            if (existing is null && !request.ForRoute)
            {
                // A first order asked for by hand either works or leaves nothing: no row, no files, no retries.
                await acme.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await acme.SetOutcomeAsync(name, failures, next, ex.Message, CancellationToken.None).ConfigureAwait(false);
            }

            LogFailed(logger, name, failures, ex.Message);
            events.Publish("certificate", existing is null ? "certificate.issue-failed" : "certificate.renewal-failed", name, context.Job.Id,
                existing is null ? ex.Message : $"{ex.Message}; the current certificate (valid until {existing.NotAfter:u}) is still served; next attempt {next:u}");
            throw;
        }
    }

    private async Task IssueAsync(JobContext context, AcmeRequest request, ProxyCertificate? existing, CancellationToken ct)
    {
        var name = request.Name;
        if (request.Challenge == AcmeChallenges.Http)
        {
            // The challenge location must be live before the ACME server asks for it.
            await proxy.ApplyAsync(ct).ConfigureAwait(false);
        }

        context.Report($"ordering a certificate for {string.Join(", ", request.Domains)} from {options.Value.AcmeDirectory} ({request.Challenge}-01)");
        var (chain, key) = await lego.ObtainAsync(request.Domains, request.Challenge, ct).ConfigureAwait(false);
        var record = files.Read(name, chain, key, CertificateOrigins.Acme);

        // From the check that it is still wanted to the end of the install, no removal can run.
        using var held = await certificateLock.EnterAsync(ct).ConfigureAwait(false);
        if (await acme.GetAsync(name, ct).ConfigureAwait(false) is null)
        {
            throw DomainError.Conflict("Certificate removed", $"'{name}' was removed while it was being ordered; the new certificate is not installed.");
        }

        context.Report($"installing {name}, valid until {record.NotAfter:u}");
        await using (var reverter = new Reverter(logger))
        {
            if (existing is null)
            {
                reverter.Add("remove the certificate's files", () => paths.DeleteCertificateFiles(name));
                await files.WriteFilesAsync(name, chain, key, ct).ConfigureAwait(false);
                reverter.Add("remove the certificate's row", () => certificates.DeleteAsync(name));
                _ = await certificates.TryInsertAsync(record, ct).ConfigureAwait(false);
            }
            else
            {
                var oldChain = await File.ReadAllTextAsync(paths.CertificateFile(name), ct).ConfigureAwait(false);
                var oldKey = await File.ReadAllTextAsync(paths.KeyFile(name), ct).ConfigureAwait(false);
                reverter.Add("put the previous certificate back", async () =>
                {
                    await files.WriteFilesAsync(name, oldChain, oldKey, CancellationToken.None).ConfigureAwait(false);
                    await certificates.UpsertAsync(existing).ConfigureAwait(false);
                    await proxy.ApplyAsync(filesChanged: true, CancellationToken.None).ConfigureAwait(false);
                });
                await files.WriteFilesAsync(name, chain, key, ct).ConfigureAwait(false);
                await certificates.UpsertAsync(record with { CreatedAt = existing.CreatedAt }, ct).ConfigureAwait(false);
            }

            await proxy.ApplyAsync(filesChanged: true, ct).ConfigureAwait(false);
            reverter.Success();
        }

        await acme.SetOutcomeAsync(name, 0, null, null, CancellationToken.None).ConfigureAwait(false);
        events.Publish("certificate", existing is null ? "certificate.issued" : "certificate.renewed", name, context.Job.Id, $"valid until {record.NotAfter:u}");
        LogIssued(logger, name, record.NotAfter);
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = System.Text.Json.JsonSerializer.Deserialize<CertificateArgs>(job.Args, Contracts.BerthJson.Options)!.Name;

        // A lego of the dead daemon could still install its files or answer its challenge; it goes first.
        await Processes.ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        var issued = (await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Name == name);
        var request = await acme.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (issued is null)
        {
            paths.DeleteCertificateFiles(name);
            if (request is { ForRoute: false })
            {
                await acme.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }

        // Whatever row there is (old or new) names files that were written whole; nginx is brought to it.
        await proxy.ApplyAsync(filesChanged: true, cancellationToken).ConfigureAwait(false);
        return new JobRecovery(false, issued is null ? "no certificate was installed" : $"{name} as stored (valid until {issued.NotAfter:u}) is served; the renewal check orders again");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ACME order for {Name} failed ({Failures} in a row): {Reason}")]
    private static partial void LogFailed(ILogger logger, string name, int failures, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Certificate {Name} installed from ACME, valid until {NotAfter}")]
    private static partial void LogIssued(ILogger logger, string name, DateTimeOffset notAfter);
}
