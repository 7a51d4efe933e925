using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Latchkey.Server.Management;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Management;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Latchkey.Server.Tests.Security;

/// <summary>
/// A bounded black-box fuzz run over every endpoint the server exposes (the protocol, the login and account pages,
/// Auth0's <c>/dbconnections</c>, discovery and
/// every <c>/api/v2</c> route from the live route table): 20,000 requests built from a fixed seed, each one malformed in
/// one or more ways — forms with thousands of fields, NUL bytes and broken percent-encoding, JSON with invalid UTF-8,
/// lone surrogates, duplicate keys and 5,000 levels of nesting, oversized headers, odd methods, repeated parameters,
/// garbage credentials. The rule (docs/reference/security-catalogue.md R-FUZZ-1…3): whatever comes in, the answer is
/// never a 5xx and never shows a stack trace. Request <c>i</c> is built from <c>new Random(Seed + i)</c> alone, so a
/// failure message names the index that reproduces it.
/// </summary>
public sealed class BlackBoxFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261130;
    private const int Requests = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    private static readonly string[] ProtocolPaths =
    [
        "/authorize", "/oauth/token", "/oauth/revoke", "/userinfo", "/v2/logout", "/oidc/logout",
        "/.well-known/openid-configuration", "/.well-known/jwks.json", "/login", "/signup", "/logout",
        "/dbconnections/signup", "/dbconnections/change_password", "/forgot-password", "/u/reset-password", "/u/email-verification",
    ];

    private static readonly string[] OddMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "X-FUZZ"];

    private static readonly string[] ProtocolNames =
    [
        "grant_type", "client_id", "client_secret", "code", "code_verifier", "redirect_uri", "refresh_token", "audience",
        "scope", "response_type", "response_mode", "state", "nonce", "prompt", "max_age", "returnTo", "id_token_hint",
        "post_logout_redirect_uri", "token", "token_type_hint", "access_token", "code_challenge", "code_challenge_method",
        "email", "password", "returnUrl", "__RequestVerificationToken", "user_metadata", "app_metadata", "blocked",
        "email_verified", "connection", "name", "identifier", "scopes", "callbacks", "ticket", "confirm",
    ];

    private static readonly string[] Ids =
    [
        "latchkey%7C000000000000000000000000", new string('x', 3000), "..%2F..%2Fetc%2Fpasswd", "%22%3E%3Cscript%3E",
        "%E2%80%AE%C0%AF", "%FF%FE", "%20", "rol_00000000000000", "con_0", "-1", "1e309", "%25",
    ];

    private static readonly byte[][] InvalidUtf8 = [[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];

    [Fact]
    [Trait("Rule", "R-FUZZ-1")]
    [Trait("Rule", "R-FUZZ-2")]
    [Trait("Rule", "R-FUZZ-3")]
    public async Task EveryEndpoint_TwentyThousandMalformedRequests_NeverA5xxOrAStackTrace()
    {
        await using var server = await LatchkeyTestServer.StartAsync(ManagementTenant.Json,
            "--Latchkey:Issuer", ManagementTenant.Issuer, "--Latchkey:Management:RateLimitPerMinute", "0");
        var token = ManagementTokens.Mint(server, ManagementTenant.AdminClient + "@clients", string.Join(' ', ManagementScopes.All), client: true);
        var targets = Targets(server);
        Assert.True(targets.Count(t => t.Path.StartsWith("/api/v2/", StringComparison.Ordinal)) >= 5, "the route table has the Management API");

        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 8 };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        using var deadline = new CancellationTokenSource(Deadline);
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = deadline.Token }, async (i, ct) =>
        {
            var (request, description) = Build(i, targets, token);
            using (request)
            {
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status >= 500 || (status >= 400 && LooksLikeAStackTrace(body)))
                    {
                        failures.Enqueue($"#{i} {description} → {status} {body[..Math.Min(300, body.Length)]}");
                    }
                }
                catch (HttpRequestException)
                {
                    // Kestrel may close a connection on input it refuses outright (it answers 400/431 first when it can);
                    // a closed connection is not a 5xx, but it must stay rare or the run proves little.
                    statuses.AddOrUpdate(0, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref sent);
            }
        });

        var summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "closed" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {s.Value}"));
        Assert.True(failures.IsEmpty, $"{failures.Count} bad answers in {sent} requests ({summary}):\n" + string.Join('\n', failures.Take(15)));
        Assert.Equal(Requests, sent);
        Assert.True(statuses.GetValueOrDefault(0) < Requests / 100, $"too many closed connections: {summary}");

        // The server is still healthy: a well-formed request after the storm gets a token.
        using var after = await client.ClientCredentialsAsync(ManagementTenant.AdminClient, ManagementTenant.AdminSecret, ManagementTenant.Audience);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        output.WriteLine($"fuzz: {sent} requests in {clock.Elapsed.TotalSeconds:F1} s over {targets.Count} targets; {summary}");
    }

    /// <summary>Every route the server maps (method and pattern), plus the OpenIddict endpoints that are not routes.</summary>
    private static List<(string Method, string Path)> Targets(LatchkeyTestServer server)
    {
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"])
                .Select(m => (Method: m, Path: "/" + (e.RoutePattern.RawText ?? string.Empty).TrimStart('/'))));
        var protocol = ProtocolPaths.SelectMany(p => new[] { ("GET", p), ("POST", p) });
        return routes.Concat(protocol).Distinct().OrderBy(t => t.Item2, StringComparer.Ordinal).ThenBy(t => t.Item1, StringComparer.Ordinal).ToList();
    }

    private static (HttpRequestMessage Request, string Description) Build(int index, List<(string Method, string Path)> targets, string token)
    {
        var random = new Random(Seed + index);
        var (method, pattern) = targets[random.Next(targets.Count)];
        var what = new List<string>();
        if (random.Next(7) == 0)
        {
            method = OddMethods[random.Next(OddMethods.Length)];
            what.Add("method");
        }

        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{[^}]+\}", _ => Ids[random.Next(Ids.Length)]);
        var query = random.Next(3) == 0 ? Query(random, what) : string.Empty;
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.TrimStart('/') + query, UriKind.Relative));

        if (path.StartsWith("/api/v2/", StringComparison.Ordinal) && random.Next(4) != 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (random.Next(3) == 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Credentials(random));
            what.Add("credentials");
        }

        if (random.Next(25) == 0)
        {
            // Beyond Kestrel's 32 KB header limit (431) or just below it.
            request.Headers.TryAddWithoutValidation(random.Next(2) == 0 ? "Cookie" : "X-Fuzz", new string('c', random.Next(2) == 0 ? 40_000 : 30_000));
            what.Add("huge header");
        }

        if (method is not ("GET" or "HEAD" or "TRACE") || random.Next(10) == 0)
        {
            request.Content = Body(random, what);
        }

        return (request, $"{method} {path[..Math.Min(60, path.Length)]}{(query.Length > 0 ? " ?…" : string.Empty)} [{string.Join(", ", what)}]");
    }

    private static string Query(Random random, List<string> what)
    {
        var parts = new List<string>();
        for (var n = random.Next(1, 12); n > 0; n--)
        {
            var name = ProtocolNames[random.Next(ProtocolNames.Length)];
            parts.Add(name + "=" + EncodedJunk(random));
            if (random.Next(4) == 0)
            {
                parts.Add(name + "=" + EncodedJunk(random));
                what.Add("repeated parameter");
            }
        }

        what.Add("query");
        return "?" + string.Join('&', parts);
    }

    private static string Credentials(Random random) => random.Next(6) switch
    {
        0 => "Bearer " + new string('a', random.Next(1, 9000)),
        1 => "Bearer eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"sub\":\"x\"}")) + ".",
        2 => "Basic !!!not-base64!!!",
        3 => "Basic " + Convert.ToBase64String([0xFF, 0xFE, (byte)':', 0xC0, 0xAF]),
        4 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ManagementTenant.AdminClient + ":wrong-secret")),
        _ => "Negotiate " + new string('z', 10),
    };

    private static ByteArrayContent Body(Random random, List<string> what)
    {
        byte[] bytes;
        string type;
        switch (random.Next(9))
        {
            case 0:
                bytes = Encoding.ASCII.GetBytes(string.Join('&', Enumerable.Range(0, random.Next(2) == 0 ? random.Next(1, 40) : random.Next(1000, 2100))
                    .Select(_ => ProtocolNames[random.Next(ProtocolNames.Length)] + "=" + EncodedJunk(random))));
                type = "application/x-www-form-urlencoded";
                what.Add("form");
                break;
            case 1:
                bytes = Encoding.ASCII.GetBytes("client_id=%00&grant_type=client_credentials%00&audience=%C0%AF&scope=%ZZ&=&&=x");
                type = "application/x-www-form-urlencoded";
                what.Add("form with NUL and bad escapes");
                break;
            case 2:
                bytes = [.. Encoding.UTF8.GetBytes("{\"client_id\":\""), .. InvalidUtf8[random.Next(InvalidUtf8.Length)], .. Encoding.UTF8.GetBytes("\",\"grant_type\":\"client_credentials\"}")];
                type = "application/json";
                what.Add("invalid UTF-8");
                break;
            case 3:
                bytes = Encoding.UTF8.GetBytes($"{{\"{ProtocolNames[random.Next(ProtocolNames.Length)]}\":\"\\ud800\",\"user_metadata\":{{\"a\":\"\\udfff\"}}}}");
                type = "application/json";
                what.Add("lone surrogate");
                break;
            case 4:
                var name = ProtocolNames[random.Next(ProtocolNames.Length)];
                bytes = Encoding.UTF8.GetBytes($"{{\"{name}\":\"a\",\"{name}\":\"b\",\"user_metadata\":{{\"x\":1,\"x\":2}},\"name\":\"x\",\"name\":\"y\"}}");
                type = "application/json";
                what.Add("duplicate keys");
                break;
            case 5:
                var depth = 5000;
                bytes = Encoding.ASCII.GetBytes(random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
                type = "application/json";
                what.Add("5,000-deep nesting");
                break;
            case 6:
                bytes = Encoding.UTF8.GetBytes(JsonJunk(random));
                type = random.Next(3) == 0 ? "application/json; charset=utf-16" : "application/json";
                what.Add("json");
                break;
            case 7:
                bytes = new byte[random.Next(0, 4096)];
                random.NextBytes(bytes);
                type = new[] { "application/octet-stream", "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=" }[random.Next(4)];
                what.Add("random bytes");
                break;
            default:
                bytes = [];
                type = new[] { "text/plain", "application/json", "application/x-www-form-urlencoded; charset=klingon", "" }[random.Next(4)];
                what.Add("empty body");
                break;
        }

        var content = new ByteArrayContent(bytes);
        if (type.Length > 0)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", type);
        }

        return content;
    }

    private static string JsonJunk(Random random)
    {
        var members = Enumerable.Range(0, random.Next(1, 8)).Select(_ =>
        {
            var value = random.Next(8) switch
            {
                0 => "null",
                1 => "1e999",
                2 => "-0.0000000000000000000000001",
                3 => "[1,\"a\",{},[],null,true]",
                4 => "{\"nested\":{\"deeper\":\"" + new string('x', random.Next(0, 300)) + "\"}}",
                5 => "\"" + new string('\u00e9', random.Next(0, 2000)) + "\"",
                6 => "true",
                _ => "\"\\u0000<script>\"",
            };
            return $"\"{ProtocolNames[random.Next(ProtocolNames.Length)]}\":{value}";
        });
        var text = "{" + string.Join(',', members) + "}";
        return random.Next(5) == 0 ? text[..random.Next(text.Length)] : text;
    }

    private static string EncodedJunk(Random random) => random.Next(10) switch
    {
        0 => "%00",
        1 => "%ZZ",
        2 => "%C0%AF%E2%80%AE",
        3 => Uri.EscapeDataString(new string('a', random.Next(1, 5000))),
        4 => "http%3A%2F%2Fevil.example%2Fcallback",
        5 => string.Empty,
        6 => "%F0%9F%98%80%ED%A0%80",
        7 => Uri.EscapeDataString("openid profile offline_access read:messages"),
        8 => "%",
        _ => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An error body that shows the server's internals (assets such as the API reference's script are not errors).</summary>
    private static bool LooksLikeAStackTrace(string body) =>
        body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal)
        || body.Contains(".cs:line", StringComparison.Ordinal);
}
