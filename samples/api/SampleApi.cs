using Latchkey.AspNetCore;
using Latchkey.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration.Memory;

namespace Latchkey.Samples.Api;

/// <summary>
/// The seeds' backend (Auth0 "Calling an API" quickstarts) on ASP.NET Core: one public, three protected endpoints.
/// Built here rather than in Program.cs so tests start exactly this app in-process with their own arguments.
/// </summary>
public static class SampleApi
{
    public const string DefaultUrl = "http://localhost:3001";

    /// <summary>
    /// Defaults matching the development tenant (docs/architecture.md), so Latchkey and this API run together with no
    /// configuration. They sit under every other source: appsettings.json, environment variables
    /// (<c>Latchkey__Authority</c>) and the command line (<c>--Latchkey:Authority</c>) all override them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Defaults = new Dictionary<string, string?>
    {
        ["Latchkey:Authority"] = "http://localhost:5000/",
        ["Latchkey:Audience"] = "https://quickstarts/api",
        ["Cors:Origins:0"] = "http://localhost:3000",
        ["Cors:Origins:1"] = "http://localhost:4200",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Latchkey:Authority and Latchkey:Audience, from the defaults above or any configuration source.
        builder.Services.AddAuthentication().AddLatchkey();
        builder.Services.AddAuthorization();

        var origins = builder.Configuration.GetSection("Cors:Origins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET")
            .WithHeaders("Authorization", "Content-Type")));

        var app = builder.Build();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();

        var api = app.MapGroup("/api");
        api.MapGet("/public", () => new ApiMessage("Hello from a public endpoint! You don't need to be authenticated to see this."));
        api.MapGet("/private", () => new ApiMessage("Hello from a private endpoint! You need to be authenticated to see this."))
            .RequireAuthorization();
        api.MapGet("/private-scoped", () => new ApiMessage("Hello from a private endpoint! You need to be authenticated and have a scope of read:messages to see this."))
            .RequireScope("read:messages");

        // Seed 002 (React, Express backend) calls /api/external with any valid token.
        api.MapGet("/external", () => new ApiMessage("Your access token was successfully validated!"))
            .RequireAuthorization();
        return app;
    }
}
