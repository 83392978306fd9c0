using Berth.Contracts;

namespace Berth.Client;

/// <summary>Proxy calls: certificates.</summary>
public sealed partial class BerthClient
{
    public async Task<IReadOnlyList<CertificateInfo>> ListCertificatesAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<CertificateInfo[]>("api/v1/certificates", cancellationToken).ConfigureAwait(false);

    public Task<CertificateInfo> GetCertificateAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<CertificateInfo>($"api/v1/certificates/{Escape(name)}", cancellationToken);

    public Task<JobInfo> AddCertificateAsync(CertificateAddRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/certificates", Json(request), cancellationToken);
    }

    /// <summary>Has berthd obtain a certificate from its ACME server (and renew it); the job ends when it is installed.</summary>
    public Task<JobInfo> IssueCertificateAsync(CertificateIssueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/certificates/acme", Json(request), cancellationToken);
    }

    public Task<JobInfo> RemoveCertificateAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/certificates/{Escape(name)}", content: null, cancellationToken);
}
