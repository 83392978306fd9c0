using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Applies certificate changes to nginx; a certificate nginx refuses is removed again (row and files).</summary>
public sealed class CertificateJobs(CertificateStore certificates, AcmeStore acme, ProxyPaths paths, ReverseProxy proxy, CertificateLock certificateLock, ILogger<CertificateJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [ProxyJobKinds.CertificateAdd, ProxyJobKinds.CertificateRemove];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<CertificateArgs>();
        var ct = context.CancellationToken;
        if (context.Job.Kind == ProxyJobKinds.CertificateAdd)
        {
            await using var reverter = new Reverter(logger);
            reverter.Add("remove the certificate's files", () => paths.DeleteCertificateFiles(args.Name));
            reverter.Add("remove the certificate's row", () => certificates.DeleteAsync(args.Name));
            await proxy.ApplyAsync(ct).ConfigureAwait(false);
            reverter.Success();
        }
        else
        {
            // An order installing this certificate finishes first; one still at lego then finds its request gone and installs nothing.
            using var held = await certificateLock.EnterAsync(ct).ConfigureAwait(false);

            // The ACME request first, so no renewal starts for a certificate on its way out.
            await acme.DeleteAsync(args.Name, ct).ConfigureAwait(false);
            await certificates.DeleteAsync(args.Name, ct).ConfigureAwait(false);
            await proxy.ApplyAsync(ct).ConfigureAwait(false);
            paths.DeleteCertificateFiles(args.Name);
        }
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<CertificateArgs>(job.Args, Contracts.BerthJson.Options)!;
        if (job.Kind == ProxyJobKinds.CertificateRemove)
        {
            await acme.DeleteAsync(args.Name, cancellationToken).ConfigureAwait(false);
            await certificates.DeleteAsync(args.Name, cancellationToken).ConfigureAwait(false);
            await proxy.ApplyAsync(cancellationToken).ConfigureAwait(false);
            paths.DeleteCertificateFiles(args.Name);
            return new JobRecovery(true, "the certificate was removed after the restart");
        }

        try
        {
            await proxy.ApplyAsync(cancellationToken).ConfigureAwait(false);
            return new JobRecovery(true, "nginx was configured from the store after the restart");
        }
        catch (DomainError ex)
        {
            await certificates.DeleteAsync(args.Name, cancellationToken).ConfigureAwait(false);
            paths.DeleteCertificateFiles(args.Name);
            await proxy.ApplyAsync(cancellationToken).ConfigureAwait(false);
            return new JobRecovery(false, $"the certificate was removed again: {ex.Message}");
        }
    }
}
