using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Management;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Protocol;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// The administration surface as a whole, driven from its route table so that an endpoint added later is covered
/// without editing this file: every endpoint declares scopes and honours exactly them (MG-1, MG-2), survives garbage
/// (R-FUZZ-3, DOS-2), answers errors in Auth0's shape, and appears in the committed OpenAPI snapshot.
/// </summary>
public sealed class ManagementSurfaceTests(ManagementServerFixture fixture) : IClassFixture<ManagementServerFixture>
{
    private static readonly string[] GarbageBodies =
    [
        "{ \"user_metadata\": ",
        "[1, 2]",
        "\"text\"",
        "null",
        "{ \"user_metadata\": {}, \"user_metadata\": {} }",
        "{ \"no_such_member\": 1 }",
        new string('[', 10_000) + new string(']', 10_000),
        "{ \"name\": \"a\u0000b\" }",
        "{ \"blocked\": \"yes\", \"email_verified\": 1 }",
        "{ \"user_metadata\": { \"x\": " + new string('9', 400) + " } }",
    ];

    [Fact]
    public async Task UnknownPath_AnyMethod_Returns404InAuth0Shape()
    {
        using var client = fixture.Server.CreateClient();

        using var get = await client.GetAsync("api/v2/no-such-resource");
        using var post = await client.PostAsync("api/v2/users/x/no-such-thing", new StringContent("{}", Encoding.UTF8, "application/json"));

        foreach (var response in new[] { get, post })
        {
            var error = await AssertErrorAsync(response, 404, "Not Found");
            Assert.Equal("Not Found", (string?)error["message"]);
        }
    }

    [Fact]
    public async Task KnownPath_WrongMethod_Returns405WithAllowInAuth0Shape()
    {
        using var client = fixture.Server.CreateClient();

        using var response = await client.PutAsync($"api/v2/users/{Uri.EscapeDataString(fixture.Alice)}", new StringContent("{}", Encoding.UTF8, "application/json"));

        await AssertErrorAsync(response, 405, "Method Not Allowed");
        var allow = string.Join(',', response.Content.Headers.Allow);
        Assert.Contains("GET", allow, StringComparison.Ordinal);
        Assert.Contains("PATCH", allow, StringComparison.Ordinal);
    }

    [Fact]
    public void RouteTable_EveryEndpoint_DeclaresKnownScopes()
    {
        Assert.NotEmpty(Endpoints);
        Assert.All(Endpoints, e => Assert.NotEmpty(e.Scopes));
        Assert.All(Endpoints.SelectMany(e => e.Scopes), s => Assert.Contains(s, ManagementScopes.All));
    }

    [Fact]
    [Trait("Rule", "MG-1")]
    [Trait("Rule", "MG-1")]
    public async Task EveryEndpoint_NoToken_Returns401WithChallenge()
    {
        foreach (var (method, pattern, _) in Endpoints)
        {
            using var response = await SendAsync(method, pattern, token: null, "{}");

            await AssertErrorAsync(response, 401, "Unauthorized", $"{method} {pattern}");
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Rule", "MG-2")]
    [Trait("Rule", "MG-2")]
    public async Task EveryEndpoint_TokenWithoutItsScopes_Returns403NamingThem()
    {
        foreach (var (method, pattern, scopes) in Endpoints)
        {
            var others = string.Join(' ', ManagementScopes.All.Where(s => !scopes.Contains(s)));
            var token = ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", others, client: true);

            using var response = await SendAsync(method, pattern, token, "{}");

            var error = await AssertErrorAsync(response, 403, "Forbidden", $"{method} {pattern}");
            Assert.Equal($"Insufficient scope, expected any of: {string.Join(',', scopes)}", (string?)error["message"]);
            Assert.Equal("insufficient_scope", (string?)error["errorCode"]);
            Assert.Contains("error=\"insufficient_scope\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Rule", "MG-2")]
    [Trait("Rule", "MG-2")]
    public async Task EveryEndpoint_TokenWithAnyOneOfItsScopes_IsAuthorized()
    {
        foreach (var (method, pattern, scopes) in Endpoints)
        {
            foreach (var scope in scopes)
            {
                // A current-user scope is a user's token on their own id; any other scope, an application's.
                var token = ManagementScopes.IsCurrentUserScope(scope)
                    ? ManagementTokens.Mint(fixture.Server, fixture.Alice, scope)
                    : ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", scope, client: true);

                using var response = await SendAsync(method, pattern, token, "{}");

                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{method} {pattern} with {scope}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    [Fact]
    [Trait("Rule", "MG-2")]
    public async Task EveryEndpointWithCurrentUserScope_OtherUsersId_Returns403()
    {
        foreach (var (method, pattern, scopes) in Endpoints.Where(e => e.Scopes.Any(ManagementScopes.IsCurrentUserScope)))
        {
            var token = ManagementTokens.Mint(fixture.Server, fixture.Alice, string.Join(' ', scopes.Where(ManagementScopes.IsCurrentUserScope)));

            using var response = await SendAsync(method, pattern, token, "{}", id: "latchkey%7C000000000000000000000000");

            await AssertErrorAsync(response, 403, "Forbidden", $"{method} {pattern}");
        }
    }

    [Fact]
    [Trait("Rule", "R-FUZZ-3")]
    [Trait("Rule", "R-FUZZ-3")]
    public async Task EveryEndpoint_GarbageBodiesAndIds_AreNever5xxAndErrorsAreAuth0Shaped()
    {
        var token = ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", string.Join(' ', ManagementScopes.All), client: true);
        // No %00: Kestrel refuses a NUL in the request target itself (400 before any middleware runs).
        var ids = new[] { Uri.EscapeDataString(fixture.Alice), new string('x', 5000), "..%2F..%2Fetc", "latchkey%7C%22%3E%3Cscript%3E", "%E2%80%AE%C0%AF" };
        foreach (var (method, pattern, _) in Endpoints)
        {
            foreach (var id in ids)
            {
                foreach (var body in GarbageBodies)
                {
                    using var response = await SendAsync(method, pattern, token, body, id);

                    await AssertNot5xxAsync(response, $"{method} {pattern} id={id[..Math.Min(20, id.Length)]} body={body[..Math.Min(40, body.Length)]}");
                }
            }

            using var form = await SendAsync(method, pattern, token, "user_metadata=x", contentType: "application/x-www-form-urlencoded");
            using var huge = await SendAsync(method, pattern, token, $$"""{ "user_metadata": { "x": "{{new string('a', 200_000)}}" } }""");
            // Multipart (POST /jobs/users-imports): a users file that is not JSON, and a body that is not multipart at all.
            using var multipart = await SendAsync(method, pattern, token,
                "--b\r\nContent-Disposition: form-data; name=\"users\"; filename=\"u.json\"\r\n\r\n[{\"email\": 1},\r\n--b\r\nContent-Disposition: form-data; name=\"connection_id\"\r\n\r\ncon_\u0000\r\n--b--\r\n",
                contentType: "multipart/form-data; boundary=b");
            using var brokenMultipart = await SendAsync(method, pattern, token, "--b\r\nContent-Disposition: form-data; name=\"users\"\r\n\r\n[", contentType: "multipart/form-data; boundary=b");
            await AssertNot5xxAsync(form, $"{method} {pattern} form body");
            await AssertNot5xxAsync(multipart, $"{method} {pattern} multipart body");
            await AssertNot5xxAsync(brokenMultipart, $"{method} {pattern} broken multipart body");
            await AssertNot5xxAsync(huge, $"{method} {pattern} huge body");
        }
    }

    [Theory]
    [InlineData("{ \"user_metadata\": {}, \"user_metadata\": { \"x\": 1 } }", "Invalid request payload JSON format: a duplicate property")]
    [InlineData("{ \"no_such_member\": 1 }", "Payload validation error: 'Additional properties not allowed: no_such_member'.")]
    [InlineData("{ \"User_Metadata\": {} }", "Payload validation error: 'Additional properties not allowed: User_Metadata'.")]
    [InlineData("{ \"blocked\": \"yes\" }", "Payload validation error: 'Expected type boolean but found type string' on property blocked.")]
    [InlineData("{ \"name\": null }", "Payload validation error: 'Expected type string but found type null' on property name.")]
    public async Task Body_NotTheRecordsShape_Returns400InvalidBodyWithAuth0Message(string body, string message)
    {
        var token = ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", ManagementScopes.UpdateUsers, client: true);

        using var response = await SendAsync("PATCH", "/api/v2/users/{id}", token, body);

        var error = await AssertErrorAsync(response, 400, "Bad Request");
        Assert.Equal("invalid_body", (string?)error["errorCode"]);
        Assert.Equal(message, (string?)error["message"]);
    }

    [Fact]
    [Trait("Rule", "DOS-2")]
    public async Task Body_DeeplyNested_Returns400Quickly()
    {
        var token = ManagementTokens.Mint(fixture.Server, ManagementTenant.AdminClient + "@clients", ManagementScopes.UpdateUsers, client: true);
        var body = "{ \"user_metadata\": " + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_001);

        using var response = await SendAsync("PATCH", "/api/v2/users/{id}", token, body);

        await AssertErrorAsync(response, 400, "Bad Request");
    }

    [Fact]
    public async Task OpenApiDocument_Generated_MatchesCommittedSnapshot()
    {
        using var client = fixture.Server.CreateClient();

        using var response = await client.GetAsync("api/v2/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3.1.1", (string?)document["openapi"]);
        Assert.All(document["paths"]!.AsObject(), p => Assert.StartsWith("/api/v2/", p.Key, StringComparison.Ordinal));
        Snapshot.Match(document, "management-openapi");
    }

    [Fact]
    public async Task OpenApiDocument_EveryOperation_NamesItsScopesAndAuth0Errors()
    {
        using var client = fixture.Server.CreateClient();
        var document = JsonNode.Parse(await client.GetStringAsync("api/v2/openapi.json"))!;

        foreach (var (method, pattern, scopes) in Endpoints)
        {
            var operation = document["paths"]![pattern]![method.ToLowerInvariant()]!;
            var security = operation["security"]!.AsArray().Single()!.AsObject().Single();
            Assert.Equal(scopes, security.Value!.AsArray().Select(s => (string?)s));
            foreach (var status in new[] { "401", "403", "429" })
            {
                Assert.NotNull(operation["responses"]![status]);
            }
        }
    }

    /// <summary>Every Management API endpoint with its scopes, read from the running server's route table.</summary>
    private List<(string Method, string Pattern, IReadOnlyList<string> Scopes)> Endpoints =>
        fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ManagementScopeRequirement>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<ManagementScopeRequirement>()!.Scopes)))
            .OrderBy(e => e.Item2, StringComparer.Ordinal).ThenBy(e => e.m, StringComparer.Ordinal)
            .ToList();

    private async Task<HttpResponseMessage> SendAsync(string method, string pattern, string? token, string? body, string? id = null, string contentType = "application/json")
    {
        using var client = fixture.Server.CreateClient();
        var path = pattern.Replace("{id}", id ?? Uri.EscapeDataString(fixture.Alice), StringComparison.Ordinal).TrimStart('/');
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null && method is not ("GET" or "DELETE"))
        {
            // The media type may carry parameters (a multipart boundary); a bare one gets charset=utf-8 as before.
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType.Contains(';', StringComparison.Ordinal) ? contentType : contentType + "; charset=utf-8");
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertNot5xxAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{what}: {(int)response.StatusCode} {text}");
        if ((int)response.StatusCode >= 400)
        {
            Assert.True(text.Length > 0, $"{what}: {(int)response.StatusCode} with an empty body");
            var json = JsonNode.Parse(text)!.AsObject();
            Assert.Equal((int)response.StatusCode, (int)json["statusCode"]!);
            Assert.False(string.IsNullOrEmpty((string?)json["error"]), what);
            Assert.False(string.IsNullOrEmpty((string?)json["message"]), what);
        }
    }

    private static async Task<JsonObject> AssertErrorAsync(HttpResponseMessage response, int status, string error, string what = "")
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{what} {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, (int)json["statusCode"]!);
        Assert.Equal(error, (string?)json["error"]);
        Assert.False(string.IsNullOrEmpty((string?)json["message"]));
        return json;
    }
}
