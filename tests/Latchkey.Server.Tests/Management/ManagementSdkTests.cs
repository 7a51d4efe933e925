using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// Issue 9's "done when": Auth0's own Node management SDK (npm <c>auth0</c> 7.1.0, <c>ManagementClient({ domain,
/// clientId, clientSecret })</c>, which speaks only <c>https://&lt;domain&gt;</c>) administers a real Latchkey on https
/// with a certificate made here and trusted through <c>NODE_EXTRA_CA_CERTS</c>. The script
/// (<c>tests/management-sdk/sdk-test.mjs</c>) reports each named step; steps whose endpoints are not on this server
/// are skipped only when the route table proves the route is absent.
/// </summary>
public sealed partial class ManagementSdkTests(ITestOutputHelper output)
{
    private const string AdminClient = "sdk-admin";
    private const string AdminSecret = "sdk-admin-secret-0123456789-0123456789";
    private const string SeedEmail = "seed@example.com";

    /// <summary>The steps that need an endpoint another branch adds, and that endpoint (method, route).</summary>
    private static readonly (string Step, string Method, string Route)[] GatedSteps =
    [
        ("users: create users", "POST", "/api/v2/users"),
        ("users: search with q", "GET", "/api/v2/users"),
        ("users: page with totals", "GET", "/api/v2/users"),
        ("users: assign the role to a created user", "POST", "/api/v2/users"),
        ("users: delete a user", "DELETE", "/api/v2/users/{}"),
        ("logs: read the tenant log", "GET", "/api/v2/logs"),
    ];

    [Fact]
    public async Task Auth0NodeSdk_OverHttps_EveryStepOnThisServerPasses()
    {
        var directory = Directory.CreateTempSubdirectory("latchkey-sdk-");
        try
        {
            var (pfx, pem) = WriteCertificate(directory.FullName);
            var domain = $"127.0.0.1:{LatchkeyTestServer.FreePort()}";
            await using var server = await LatchkeyTestServer.StartAtAsync(
                $"https://{domain}", Tenant($"https://{domain}/api/v2/"), null,
                "--Kestrel:Certificates:Default:Path", pfx, "--Kestrel:Certificates:Default:Password", CertificatePassword);
            Assert.Equal($"https://{domain}/", server.Issuer);

            var (exitCode, lines, errors) = await ManagementSdkProcess.RunAsync(
                new Dictionary<string, string>
                {
                    ["LATCHKEY_DOMAIN"] = domain,
                    ["LATCHKEY_CLIENT_ID"] = AdminClient,
                    ["LATCHKEY_CLIENT_SECRET"] = AdminSecret,
                    ["LATCHKEY_SEED_USER_ID"] = await SeedUserIdAsync(server),
                    ["NODE_EXTRA_CA_CERTS"] = pem,
                },
                TimeSpan.FromMinutes(5));
            foreach (var line in lines)
            {
                output.WriteLine(line);
            }

            output.WriteLine(errors);
            var steps = lines.Select(l => StepLine().Match(l)).Where(m => m.Success)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["status"].Value, StringComparer.Ordinal);
            var routes = Routes(server);
            var skipped = steps.Where(s => s.Value == "skipped").Select(s => s.Key).ToList();
            output.WriteLine($"skipped: {(skipped.Count == 0 ? "none" : string.Join("; ", skipped))}");

            Assert.True(lines.Contains("DONE"), $"the script stopped early (exit {exitCode}): {errors}");
            Assert.Empty(steps.Where(s => s.Value == "failed").Select(s => s.Key));
            Assert.Equal(0, exitCode);
            Assert.Equal(21, steps.Count);
            Assert.Contains(("PATCH", "/api/v2/connections/{}"), routes);
            foreach (var (step, method, route) in GatedSteps)
            {
                // A gated step runs whenever its route exists, so merging the endpoint makes it count.
                Assert.Equal(routes.Contains((method, route)) ? "passed" : "skipped", steps[step]);
            }

            Assert.All(steps.Where(s => !GatedSteps.Any(g => g.Step == s.Key)), s => Assert.Equal("passed", s.Value));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private const string CertificatePassword = "latchkey-sdk-test";

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost: the PFX for Kestrel, the PEM for node.</summary>
    private static (string Pfx, string Pem) WriteCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(directory, "latchkey.pfx");
        var pem = Path.Combine(directory, "latchkey.pem");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        return (pfx, pem);
    }

    /// <summary>An administrator application with every Management API scope, and one user to assign roles to.</summary>
    private static string Tenant(string managementAudience) => System.Text.Json.JsonSerializer.Serialize(new
    {
        clients = new[] { new { client_id = AdminClient, client_secret = AdminSecret, name = "SDK admin", app_type = "non_interactive" } },
        client_grants = new[]
        {
            new { client_id = AdminClient, audience = managementAudience, scope = ManagementScopes.All.Where(s => !ManagementScopes.IsCurrentUserScope(s)).ToArray() },
        },
        users = new[] { new { email = SeedEmail, password = "seed-password-0123", email_verified = true } },
    });

    private static async Task<string> SeedUserIdAsync(LatchkeyTestServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<User>()
            .Where(u => u.Email == SeedEmail).Select(u => u.UserId).SingleAsync();
    }

    /// <summary>(method, route) of every endpoint, route parameters written <c>{}</c>.</summary>
    private static HashSet<(string Method, string Route)> Routes(LatchkeyTestServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => (m, RouteParameter().Replace("/" + e.RoutePattern.RawText!.TrimStart('/'), "{}"))))
            .ToHashSet();

    [GeneratedRegex(@"^STEP (?<status>passed|failed|skipped) (?<name>.+?)(?: — .*)?$")]
    private static partial Regex StepLine();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
