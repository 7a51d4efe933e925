using Latchkey.Samples.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>samples/api started in-process with the same command-line names its README documents.</summary>
public sealed class SampleApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SampleApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<SampleApiHost> StartAsync(string authority, string audience = TestAuthority.Audience, params string[] extraArgs)
    {
        var app = SampleApi.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Latchkey:Authority", authority,
            "--Latchkey:Audience", audience,
            "--Logging:LogLevel:Default", "Warning",
            .. extraArgs,
        ]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SampleApiHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
