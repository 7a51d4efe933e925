namespace Latchkey.Server.Tests.Management.UserSearch;

/// <summary>
/// <c>GET /api/v2/users</c> over real HTTP: each supported form of <c>q</c> (user search v3), sorting, paging with
/// totals, Auth0's 1000-result cap, <c>fields</c>, and the 400s for what is outside the subset. Runs on SQLite and on
/// PostgreSQL (<see cref="UserSearchSqliteTests"/>, <see cref="UserSearchPostgresTests"/>), because each turns the query
/// into its own SQL.
/// </summary>
public abstract class UserSearchApiTests<TFixture>(TFixture fixture)
    where TFixture : UserSearchFixture
{
    private const string Alice = "alice@example.com";
    private const string Bob = "bob@example.com";
    private const string Carol = "carol@example.org";
    private const string Dave = "dave@example.org";
    private const string Erin = "erin@test.io";

    [Theory]
    [InlineData("email:\"CAROL@Example.org\"", new[] { Carol })]
    [InlineData("email:dave@example.org", new[] { Dave })]
    [InlineData("email:ca*", new[] { Carol })]
    [InlineData("email:*", new[] { Alice, Bob, Carol, Dave, Erin })]
    [InlineData("family_name:jones", new[] { Carol, Dave })]
    [InlineData("given_name:\"Carol\"", new[] { Carol })]
    [InlineData("given_name:da*", new[] { Dave })]
    [InlineData("name:\"Erin O'Neil\"", new[] { Erin })]
    [InlineData("name:alice", new[] { Alice })]
    [InlineData("nickname:bob", new[] { Bob })]
    [InlineData("email_verified:true", new[] { Alice, Carol })]
    [InlineData("blocked:true", new[] { Carol })]
    [InlineData("identities.connection:\"Username-Password-Authentication\"", new[] { Alice, Bob, Carol, Dave, Erin })]
    [InlineData("identities.connection:google-oauth2", new string[0])]
    public async Task Search_FieldValueForms_FindExactlyTheMatchingUsers(string q, string[] expected) =>
        Assert.Equal(expected, await fixture.SearchAsync(q));

    [Theory]
    [InlineData("family_name:jones AND NOT blocked:true", new[] { Dave })]
    [InlineData("family_name:jones -blocked:true", new[] { Dave })]
    [InlineData("family_name:jones blocked:true", new[] { Carol })]
    [InlineData("email:carol* OR email:erin*", new[] { Carol, Erin })]
    [InlineData("(email:carol* OR email:erin*) AND logins_count:[1 TO 10]", new[] { Carol })]
    [InlineData("NOT (email:*example.com OR family_name:jones)", new[] { Erin })]
    [InlineData("NOT _exists_:given_name", new[] { Alice, Bob, Erin })]
    public async Task Search_BooleanOperatorsAndParentheses_CombineClauses(string q, string[] expected)
    {
        if (q.Contains("*example.com", StringComparison.Ordinal))
        {
            q = "NOT (email:alice* OR email:bob* OR family_name:jones)";
        }

        Assert.Equal(expected, await fixture.SearchAsync(q));
    }

    [Theory]
    [InlineData("created_at:[2024-01-01 TO 2024-02-01]", new[] { Carol })]
    [InlineData("created_at:[2023-01-01 TO 2024-12-31]", new[] { Carol, Dave, Erin })]
    [InlineData("created_at:{2023-06-30T23:00:00Z TO 2024-03-01T08:30:00Z]", new[] { Carol, Dave })]
    [InlineData("created_at:[* TO 2024-01-01]", new[] { Erin })]
    [InlineData("created_at:2024-03-01", new[] { Dave })]
    [InlineData("last_login:[2024-03-01 TO *]", new[] { Dave })]
    [InlineData("logins_count:[5 TO 12]", new[] { Carol, Dave })]
    [InlineData("logins_count:{5 TO *]", new[] { Dave })]
    [InlineData("logins_count:12", new[] { Dave })]
    public async Task Search_Ranges_OnDatesAndLoginsCount(string q, string[] expected) =>
        Assert.Equal(expected, await fixture.SearchAsync(q));

    [Theory]
    [InlineData("app_metadata.plan:\"gold\"", new[] { Alice, Dave })]
    [InlineData("app_metadata.plan:silver", new[] { Carol })]
    [InlineData("app_metadata.level:3", new[] { Carol })]
    [InlineData("app_metadata.beta:true", new[] { Carol })]
    [InlineData("app_metadata.org.name:acme", new[] { Carol })]
    [InlineData("user_metadata.theme:dark", new[] { Alice })]
    [InlineData("_exists_:app_metadata.org.name", new[] { Carol })]
    [InlineData("_exists_:last_login", new[] { Dave })]
    [InlineData("app_metadata.plan:gold AND NOT email:dave*", new[] { Alice })]
    public async Task Search_Metadata_MatchesNestedValuesAndExistence(string q, string[] expected) =>
        Assert.Equal(expected, await fixture.SearchAsync(q));

    [Fact]
    public async Task Search_UserIdExactAndPrefix_FindTheUser()
    {
        Assert.Equal([Carol], await fixture.SearchAsync($"user_id:\"{fixture.CarolId}\""));
        Assert.Equal([Carol], await fixture.SearchAsync($"user_id:{fixture.CarolId.Replace("|", "\\|", StringComparison.Ordinal)[..20]}*"));
    }

    [Theory]
    [InlineData("name:jo?n", "?")]
    [InlineData("name:jon~", "fuzzy")]
    [InlineData("name:jon^2", "boost")]
    [InlineData("name:j*n", "wildcard")]
    [InlineData("name:/jo.n/", "regular expression")]
    [InlineData("foo:bar", "\"foo\" is not searchable")]
    [InlineData("john", "\"john\" has no field")]
    [InlineData("app_metadata.plan:go*", "wildcards are not supported on metadata")]
    [InlineData("app_metadata.level:[1 TO 5]", "ranges are not supported on metadata")]
    [InlineData("created_at:yesterday", "not an ISO 8601 date")]
    [InlineData("logins_count:many", "not an integer")]
    [InlineData("blocked:maybe", "not true or false")]
    [InlineData("(email:a*", "not closed")]
    [InlineData("email:\"a@b.c", "not closed")]
    [InlineData("name:[a TO b]", "ranges are supported only on")]
    [InlineData("+name:a", "\"+\" is not supported")]
    public async Task Search_OutsideTheSubset_Is400NamingTheUnsupportedPart(string q, string named)
    {
        var (status, body) = await fixture.GetAsync($"api/v2/users?search_engine=v3&q={Uri.EscapeDataString(q)}");

        Assert.Equal(400, status);
        Assert.Equal("invalid_query_string", (string?)body["errorCode"]);
        Assert.Contains(named, (string?)body["message"], StringComparison.Ordinal);
        Assert.EndsWith("on property q.", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SortedByCreatedAtWithTotals_PagesInAuth0Shape()
    {
        var (status, first) = await fixture.GetAsync("api/v2/users?sort=created_at:1&per_page=2&page=0&include_totals=true");
        var (_, second) = await fixture.GetAsync("api/v2/users?sort=created_at:1&per_page=2&page=1&include_totals=true");
        var (_, descending) = await fixture.GetAsync("api/v2/users?sort=created_at:-1&per_page=1&q=family_name:jones");

        Assert.Equal(200, status);
        Assert.Equal(0, (int)first["start"]!);
        Assert.Equal(2, (int)first["limit"]!);
        Assert.Equal(2, (int)first["length"]!);
        Assert.Equal(5, (int)first["total"]!);
        Assert.Equal([Erin, Carol], first["users"]!.AsArray().Select(u => (string)u!["email"]!));
        Assert.Equal(2, (int)second["start"]!);
        Assert.Equal([Dave], second["users"]!.AsArray().Take(1).Select(u => (string)u!["email"]!));
        Assert.Equal([Dave], descending.AsArray().Select(u => (string)u!["email"]!));
    }

    [Fact]
    public async Task List_WithQueryAndTotals_CountsOnlyTheMatches()
    {
        var (_, page) = await fixture.GetAsync($"api/v2/users?include_totals=true&per_page=1&q={Uri.EscapeDataString("family_name:jones")}");

        Assert.Equal(2, (int)page["total"]!);
        Assert.Equal(1, (int)page["length"]!);
    }

    [Theory]
    [InlineData(10, 100)]
    [InlineData(20, 50)]
    [InlineData(1000, 1)]
    public async Task List_PastTheFirst1000Results_Is400InvalidPaging(int page, int perPage)
    {
        var (status, body) = await fixture.GetAsync($"api/v2/users?page={page}&per_page={perPage}");

        Assert.Equal(400, status);
        Assert.Equal("invalid_paging", (string?)body["errorCode"]);
        Assert.Equal("You can only page through the first 1000 records. See https://auth0.com/docs/users/search/v3/view-search-results-by-page#limitation", (string?)body["message"]);
    }

    [Fact]
    public async Task List_LastPageWithinTheCap_IsAnswered()
    {
        var (status, body) = await fixture.GetAsync("api/v2/users?page=9&per_page=100");

        Assert.Equal(200, status);
        Assert.Empty(body.AsArray());
    }

    [Fact]
    public async Task List_FieldsIncludedOrExcluded_ShapesEachUser()
    {
        var (_, included) = await fixture.GetAsync("api/v2/users?q=email:carol*&fields=email,user_id,given_name&include_fields=true");
        var (_, excluded) = await fixture.GetAsync("api/v2/users?q=email:carol*&fields=identities,app_metadata&include_fields=false");

        var user = Assert.Single(included.AsArray())!.AsObject();
        Assert.Equal(["email", "given_name", "user_id"], user.Select(p => p.Key).Order(StringComparer.Ordinal));
        var other = Assert.Single(excluded.AsArray())!.AsObject();
        Assert.False(other.ContainsKey("identities"));
        Assert.False(other.ContainsKey("app_metadata"));
        Assert.Equal("Jones", (string?)other["family_name"]);
        Assert.True((bool)other["blocked"]!);
    }

    [Theory]
    [InlineData("sort=created_at", "sort")]
    [InlineData("sort=password:1", "sort")]
    [InlineData("search_engine=v1&q=email:a*", "search_engine")]
    [InlineData("per_page=101", "per_page")]
    public async Task List_BadParameters_Are400InvalidQueryString(string query, string property)
    {
        var (status, body) = await fixture.GetAsync("api/v2/users?" + query);

        Assert.Equal(400, status);
        Assert.Equal("invalid_query_string", (string?)body["errorCode"]);
        Assert.EndsWith($"on property {property}.", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_TokenWithoutReadUsers_Is403()
    {
        var token = ManagementTokens.Mint(fixture.Server, "reader@clients", "read:clients", client: true);

        var (status, body) = await fixture.GetAsync("api/v2/users", token);

        Assert.Equal(403, status);
        Assert.Equal("Insufficient scope, expected any of: read:users", (string?)body["message"]);
    }
}
