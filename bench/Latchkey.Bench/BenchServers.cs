using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Latchkey.Bench;

/// <summary>
/// The processes bench/run.sh starts: an authority (discovery + JWKS, writes a token to a file) and the same endpoint
/// three ways: no authentication, plain <c>AddJwtBearer</c>, and <c>AddLatchkey</c>
/// (plus <c>framework</c>: the authentication/authorization middleware with a handler that checks nothing).
/// </summary>
internal static class BenchServers
{
    public static async Task RunAuthorityAsync(string url, string tokenFile)
    {
        var keys = new BenchKeys(url.TrimEnd('/') + "/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Text(keys.Discovery, "application/json"));
        app.MapGet("/.well-known/jwks.json", () => Results.Text(keys.Jwks, "application/json"));
        await app.StartAsync();
        await File.WriteAllTextAsync(tokenFile, keys.Token());
        Console.WriteLine("authority ready");
        await app.WaitForShutdownAsync();
    }

    public static async Task RunApiAsync(string mode, string url, string authority)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJsonContext.Default));
        var secured = mode != "none";
        switch (mode)
        {
            case "none":
                break;
            case "jwtbearer":
                // Plain JwtBearer as Auth0's ASP.NET quickstart configures it (claim mapping off, as a fair baseline).
                builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
                {
                    o.Authority = authority;
                    o.Audience = BenchKeys.Audience;
                    o.RequireHttpsMetadata = false;
                    o.MapInboundClaims = false;
                });
                break;
            case "latchkey":
                builder.Services.AddAuthentication().AddLatchkey(o =>
                {
                    o.Authority = authority;
                    o.Audience = BenchKeys.Audience;
                });
                break;
            case "framework":
                builder.Services.AddAuthentication("trivial").AddScheme<AuthenticationSchemeOptions, TrivialHandler>("trivial", null);
                break;
            default:
                throw new ArgumentException($"unknown mode {mode}: none | jwtbearer | latchkey | framework");
        }

        if (secured)
        {
            builder.Services.AddAuthorization();
        }

        var app = builder.Build();
        if (secured)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        var endpoint = app.MapGet("/api/private", () => new Reply("Hello from a private endpoint! You need to be authenticated to see this."));
        if (secured)
        {
            endpoint.RequireAuthorization();
        }

        await app.StartAsync();
        Console.WriteLine($"api {mode} ready");
        await app.WaitForShutdownAsync();
    }
}
