using Latchkey.AspNetCore;
using Latchkey.AspNetCore.Authorization;

namespace Latchkey.Samples.Api;

/// <summary>
/// The seeds' backend (Auth0 "Calling an API" quickstarts) on ASP.NET Core: one public, three protected endpoints.
/// Built here rather than in Program.cs so tests start exactly this app in-process with their own arguments.
/// </summary>
public static class SampleApi
{
    public const string DefaultUrl = "http://localhost:3001";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Latchkey:Authority and Latchkey:Audience (appsettings.json, --Latchkey:Authority …, or LATCHKEY__AUTHORITY).
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
