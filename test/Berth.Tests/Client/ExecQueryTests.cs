using Berth.Client.Exec;
using Berth.Contracts;

namespace Berth.Tests.Client;

public sealed class ExecQueryTests
{
    [Fact]
    public void Build_FullRequest_RepeatsCmdAndEnvAndEscapesValues()
    {
        var request = new ExecRequest
        {
            Command = ["sh", "-c", "echo a&b=c"],
            Tty = true,
            Environment = ["A=1", "B=x y"],
            WorkingDirectory = "/tmp",
        };

        string url = ExecQuery.Build("web", request);

        Assert.Equal(
            "api/v1/containers/web/exec?cmd=sh&cmd=-c&cmd=echo%20a%26b%3Dc&tty=true&env=A%3D1&env=B%3Dx%20y&cwd=%2Ftmp",
            url);
    }

    [Fact]
    public void Build_NoTtyNoEnvNoCwd_HasOnlyCmd()
    {
        Assert.Equal("api/v1/containers/c1/exec?cmd=true", ExecQuery.Build("c1", new ExecRequest { Command = ["true"] }));
    }

    [Fact]
    public void Build_TtyWithSize_AddsColsAndRows()
    {
        var request = new ExecRequest { Command = ["bash"], Tty = true, Columns = 120, Rows = 40 };

        Assert.Equal("api/v1/containers/c1/exec?cmd=bash&tty=true&cols=120&rows=40", ExecQuery.Build("c1", request));
    }

    [Fact]
    public void Build_SizeWithoutTty_LeavesSizeOut()
    {
        var request = new ExecRequest { Command = ["ls"], Columns = 120, Rows = 40 };

        Assert.Equal("api/v1/containers/c1/exec?cmd=ls", ExecQuery.Build("c1", request));
    }

    [Fact]
    public void Build_EmptyCommand_Throws()
    {
        Assert.Throws<ArgumentException>(() => ExecQuery.Build("c1", new ExecRequest { Command = [] }));
    }
}
