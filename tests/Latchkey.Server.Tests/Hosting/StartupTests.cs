using Latchkey.Server.Hosting;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [InlineData(null, "http://127.0.0.1:7001", "http://127.0.0.1:7001/")]
    [InlineData(null, "http://127.0.0.1:7001/;http://localhost:7002", "http://127.0.0.1:7001/")]
    [InlineData("https://auth.example.com", "http://127.0.0.1:7001", "https://auth.example.com/")]
    [InlineData("https://auth.example.com//", null, "https://auth.example.com/")]
    public void ResolveIssuer_AnyInput_HasExactlyOneTrailingSlash(string? configured, string? urls, string expected)
    {
        var issuer = LatchkeyServer.ResolveIssuer(configured is null ? null : new Uri(configured), urls);

        Assert.Equal(expected, issuer.AbsoluteUri);
    }

    [Fact]
    public async Task Server_FreshDatabase_StartsAndAnswers()
    {
        await using var server = await LatchkeyTestServer.StartAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync("/does-not-exist");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
