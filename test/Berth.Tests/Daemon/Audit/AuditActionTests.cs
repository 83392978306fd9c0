using Berth.Daemon.Audit;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Berth.Tests.Daemon.Audit;

public sealed class AuditActionTests
{
    [Theory]
    [InlineData("POST", "/api/v1/containers", "container.launch")]
    [InlineData("DELETE", "/api/v1/containers/{name}", "container.delete")]
    [InlineData("PUT", "/api/v1/containers/{name}/state", "container.state")]
    [InlineData("POST", "/api/v1/containers/{name}/rename", "container.rename")]
    [InlineData("PATCH", "/api/v1/containers/{name}/config", "container.config")]
    [InlineData("PUT", "/api/v1/containers/{name}/files", "file.write")]
    [InlineData("POST", "/api/v1/containers/{name}/files", "file.extract")]
    [InlineData("DELETE", "/api/v1/containers/{name}/files", "file.delete")]
    [InlineData("POST", "/api/v1/containers/{name}/forwards", "forward.add")]
    [InlineData("DELETE", "/api/v1/containers/{name}/forwards/{protocol}/{hostPort:int}", "forward.remove")]
    [InlineData("POST", "/api/v1/containers/{name}/snapshots/{snapshot}/restore", "snapshot.restore")]
    [InlineData("DELETE", "/api/v1/containers/{name}/snapshots/{snapshot}", "snapshot.delete")]
    [InlineData("POST", "/api/v1/storage-pools", "storage-pool.create")]
    [InlineData("DELETE", "/api/v1/images/{**alias}", "image.delete")]
    [InlineData("POST", "/api/v1/images/publish", "image.publish")]
    [InlineData("POST", "/api/v1/auth/login", "auth.login")]
    [InlineData("POST", "/api/v1/admin/shutdown", "admin.shutdown")]
    [InlineData("GET", "/api/v1/containers/{name}/exec", "container.exec")]
    [InlineData("POST", "/api/v1/users/{name}/policies", "policy.create")]
    [InlineData("POST", "/api/v1/users", "user.create")]
    [InlineData("PUT", "/api/v1/users/{name}/password", "user.password")]
    [InlineData("DELETE", "/api/v1/users/{name}/totp", "user.totp.disable")]
    [InlineData("POST", "/api/v1/users/{name}/tokens", "token.create")]
    [InlineData("DELETE", "/api/v1/users/{name}/tokens/{token}", "token.revoke")]
    [InlineData("DELETE", "/api/v1/users/{name}/quota", "user.quota.delete")]
    [InlineData("DELETE", "/api/v1/containers/{name}/ssh", "ssh.disable")]
    public void Of_RoutePatternAndMethod_NamesTheAction(string method, string pattern, string expected) =>
        Assert.Equal(expected, AuditAction.Of(method, RoutePatternFactory.Parse(pattern)));

    [Theory]
    [InlineData("""{"name":"alice","password":"s3cret"}""", "alice")]
    [InlineData("""{"password":"s3cret","user":"bob"}""", "bob")]
    [InlineData("""{"user":"dave","password":"s3cret","name":"x"}""", "dave")]
    [InlineData("""{"token":"abc"}""", null)]
    [InlineData("""{"name":{"nested":"x"},"username":"carol"}""", "carol")]
    [InlineData("not json", null)]
    [InlineData("[\"alice\"]", null)]
    public void NameIn_LoginBody_ReadsOnlyTheAccountName(string body, string? expected) =>
        Assert.Equal(expected, BodyName.In(System.Text.Encoding.UTF8.GetBytes(body), BodyName.Account));
}
