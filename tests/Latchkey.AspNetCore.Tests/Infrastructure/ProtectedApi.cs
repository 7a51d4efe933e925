using System.Net.Http.Headers;
using Latchkey.AspNetCore.Authentication;
using Latchkey.AspNetCore.Authorization;
using Latchkey.AspNetCore.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An API protected by <c>AddLatchkey()</c> on Kestrel (127.0.0.1), sharing the authority's fake clock.
/// Endpoints cover every helper: plain authorization, RequireScope/RequirePermission on endpoints, a group,
/// a named policy and a controller attribute.
/// </summary>
public sealed class ProtectedApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProtectedApi(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    internal LatchkeyTokenValidator Validator =>
        _app.Services.GetRequiredService<IOptionsMonitor<LatchkeyBearerOptions>>().Get(LatchkeyDefaults.AuthenticationScheme).Validator!;

    public static async Task<ProtectedApi> StartAsync(IAuthorityInfo authority, Action<LatchkeyBearerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<TimeProvider>(authority.Clock);
        builder.Services.AddAuthentication().AddLatchkey(o =>
        {
            o.Authority = authority.Issuer;
            o.Audience = TestAuthority.Audience;
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("messages", p => p.RequireScope("read:messages")));
        builder.Services.AddControllers().AddApplicationPart(typeof(MessagesController).Assembly);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/public", () => Results.Json(new { message = "public" }));
        app.MapGet("/private", () => Results.Json(new { message = "private" })).RequireAuthorization();
        app.MapGet("/scoped", () => Results.Json(new { message = "scoped" })).RequireScope("read:messages");
        app.MapGet("/two-scopes", () => Results.Json(new { message = "two" })).RequireScope("read:messages", "write:messages");
        app.MapGet("/permission", () => Results.Json(new { message = "permission" })).RequirePermission("read:messages");
        app.MapGet("/policy", () => Results.Json(new { message = "policy" })).RequireAuthorization("messages");
        app.MapGet("/claim", () => Results.Json(new { message = "claim" })).RequireAuthorization(p => p.RequireClaim("https://example.com/role", "admin"));
        var group = app.MapGroup("/admin").RequireScope("write:messages");
        group.MapGet("/item", () => Results.Json(new { message = "admin" }));
        app.MapGet("/me", (HttpContext context) => Results.Json(new
        {
            name = context.User.Identity?.Name,
            claims = context.User.Claims.Select(c => c.Type).Distinct().ToArray(),
        })).RequireAuthorization();
        app.MapControllers();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProtectedApi(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public HttpClient CreateClient() => new() { BaseAddress = Address };

    public async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
