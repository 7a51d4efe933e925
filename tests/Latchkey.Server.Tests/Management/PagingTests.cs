using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Management;
using Latchkey.Server.Management.Users;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Management;

/// <summary>
/// The paging helpers every list endpoint of issue 9 uses: Auth0's <c>page/per_page/include_totals</c> query and the
/// <c>{start, limit, length, total, &lt;items&gt;}</c> answer, and how the OpenAPI document describes them.
/// </summary>
public sealed class PagingTests
{
    [Theory]
    [InlineData("", 0, 50, false, 0)]
    [InlineData("?page=2&per_page=10&include_totals=true", 2, 10, true, 20)]
    [InlineData("?per_page=100&include_totals=false", 0, 100, false, 0)]
    public async Task PageRequest_ValidQuery_BindsAuth0Defaults(string query, int page, int perPage, bool totals, int skip)
    {
        var request = await BindAsync(query);

        Assert.Null(request.Problem);
        Assert.Equal((page, perPage, totals, skip), (request.Page, request.PerPage, request.IncludeTotals, request.Skip));
    }

    [Theory]
    [InlineData("?per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.")]
    [InlineData("?per_page=0", "Query validation error: 'Value 0 is less than minimum 1' on property per_page.")]
    [InlineData("?page=-1", "Query validation error: 'Value -1 is less than minimum 0' on property page.")]
    [InlineData("?page=abc", "Query validation error: 'Expected type integer but found type string' on property page.")]
    [InlineData("?page=1&page=2", "Query validation error: 'Expected type integer but found type array' on property page.")]
    [InlineData("?include_totals=yes", "Query validation error: 'Expected type boolean but found type string' on property include_totals.")]
    public async Task PageRequest_BadQuery_Is400InvalidQueryString(string query, string message)
    {
        var request = await BindAsync(query);

        Assert.NotNull(request.Problem);
        Assert.Equal(400, request.Problem.Error.StatusCode);
        Assert.Equal("invalid_query_string", request.Problem.Error.ErrorCode);
        Assert.Equal(message, request.Problem.Error.Message);
    }

    [Theory]
    [InlineData("?page=2&per_page=10", "[{\"user_id\":\"u1\"},{\"user_id\":\"u2\"}]")]
    [InlineData("?page=2&per_page=10&include_totals=true", "{\"start\":20,\"limit\":10,\"length\":2,\"total\":42,\"users\":[{\"user_id\":\"u1\"},{\"user_id\":\"u2\"}]}")]
    public async Task PagedResult_WithOrWithoutTotals_WritesAuth0Shape(string query, string expected)
    {
        var request = await BindAsync(query);
        var http = NewContext(string.Empty);
        http.Response.Body = new MemoryStream();

        await request.Respond<Item>([new Item("u1"), new Item("u2")], total: 42).ExecuteAsync(http);

        http.Response.Body.Position = 0;
        var written = JsonNode.Parse(http.Response.Body)!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), written), written.ToJsonString());
    }

    [Fact]
    public async Task OpenApi_PagedEndpoint_ListsQueryParametersAndBothAnswerShapes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<LatchkeyOptions>(o => o.Issuer = new Uri("http://issuer.latchkey.test/"));
        builder.Services.AddManagementOpenApi();
        await using var app = builder.Build();
        var api = app.MapGroup("/api/v2").WithMetadata(ManagementEndpointMetadata.Instance);
        api.MapOpenApi(ManagementOpenApi.DocumentPath);
        api.MapGet("/users", (PageRequest page) => page.Respond<UserResponse>([], 0)).RequireManagementScope(ManagementScopes.ReadUsers);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        using var response = await client.GetAsync("api/v2/openapi.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var operation = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["paths"]!["/api/v2/users"]!["get"]!;
        Assert.Equal(["page", "per_page", "include_totals"], operation["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
        var oneOf = operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray();
        Assert.Equal("array", (string?)oneOf[0]!["type"]);
        Assert.NotNull(oneOf[1]!["properties"]!["users"]);
        Assert.NotNull(oneOf[1]!["properties"]!["total"]);
        await app.StopAsync();
    }

    private static async Task<PageRequest> BindAsync(string query) =>
        await PageRequest.BindAsync(NewContext(query), null!);

    private static DefaultHttpContext NewContext(string query)
    {
        var services = new ServiceCollection().AddSingleton(Options.Create(new JsonOptions())).BuildServiceProvider();
        var http = new DefaultHttpContext { RequestServices = services };
        http.Request.QueryString = new QueryString(query);
        return http;
    }

    private sealed record Item([property: System.Text.Json.Serialization.JsonPropertyName("user_id")] string UserId) : IPagedItem
    {
        public static string Collection => "users";
    }
}
