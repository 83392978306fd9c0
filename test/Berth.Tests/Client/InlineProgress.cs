using Berth.Contracts;

namespace Berth.Tests.Client;

/// <summary>Reports synchronously, unlike <see cref="Progress{T}"/>, so the test sees every report before it asserts.</summary>
internal sealed class InlineProgress(Action<JobInfo> report) : IProgress<JobInfo>
{
    public void Report(JobInfo value) => report(value);
}
