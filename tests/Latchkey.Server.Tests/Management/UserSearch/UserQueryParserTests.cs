using Latchkey.Server.Management.Users.Search;

namespace Latchkey.Server.Tests.Management.UserSearch;

/// <summary>The grammar of <see cref="UserQueryParser"/>: what each supported form parses to, and what is refused.</summary>
public sealed class UserQueryParserTests
{
    [Fact]
    public void Parse_FieldValue_IsAnExactTerm() =>
        Assert.Equal(new UserQueryTerm("email", "a@b.c", false), UserQueryParser.Parse("email:a@b.c"));

    [Fact]
    public void Parse_QuotedPhraseWithEscapes_KeepsSpacesAndQuotes() =>
        Assert.Equal(new UserQueryTerm("name", "Jane \"JJ\" Doe", false), UserQueryParser.Parse("name:\"Jane \\\"JJ\\\" Doe\""));

    [Fact]
    public void Parse_TrailingStar_IsAPrefix() =>
        Assert.Equal(new UserQueryTerm("email", "jo", true), UserQueryParser.Parse("email:jo*"));

    [Fact]
    public void Parse_StarAlone_IsExists() =>
        Assert.Equal(new UserQueryExists("given_name"), UserQueryParser.Parse("given_name:*"));

    [Fact]
    public void Parse_ExistsField_IsExists() =>
        Assert.Equal(new UserQueryExists("app_metadata.plan"), UserQueryParser.Parse("_exists_:app_metadata.plan"));

    [Fact]
    public void Parse_EscapedPipe_IsPartOfTheValue() =>
        Assert.Equal(new UserQueryTerm("user_id", "latchkey|ab", true), UserQueryParser.Parse("user_id:latchkey\\|ab*"));

    [Theory]
    [InlineData("logins_count:[1 TO 5]", "1", true, "5", true)]
    [InlineData("logins_count:{1 TO 5}", "1", false, "5", false)]
    [InlineData("logins_count:[1 TO 5}", "1", true, "5", false)]
    [InlineData("created_at:[* TO 2024-01-01]", null, true, "2024-01-01", true)]
    [InlineData("created_at:[\"2024-01-01T00:00:00Z\" TO *]", "2024-01-01T00:00:00Z", true, null, true)]
    public void Parse_Range_KeepsBoundsAndBrackets(string q, string? lower, bool includeLower, string? upper, bool includeUpper)
    {
        var range = Assert.IsType<UserQueryRange>(UserQueryParser.Parse(q));

        Assert.Equal((lower, includeLower, upper, includeUpper), (range.Lower, range.IncludeLower, range.Upper, range.IncludeUpper));
    }

    [Fact]
    public void Parse_SpaceBetweenClauses_IsAnd() =>
        Assert.Equal(
            new UserQueryAnd(new UserQueryTerm("a", "1", false), new UserQueryTerm("b", "2", false)),
            UserQueryParser.Parse("a:1 b:2"));

    [Fact]
    public void Parse_AndBindsTighterThanOr() =>
        Assert.Equal(
            new UserQueryOr(new UserQueryTerm("a", "1", false), new UserQueryAnd(new UserQueryTerm("b", "2", false), new UserQueryTerm("c", "3", false))),
            UserQueryParser.Parse("a:1 OR b:2 AND c:3"));

    [Fact]
    public void Parse_Parentheses_GroupFirst() =>
        Assert.Equal(
            new UserQueryAnd(new UserQueryOr(new UserQueryTerm("a", "1", false), new UserQueryTerm("b", "2", false)), new UserQueryTerm("c", "3", false)),
            UserQueryParser.Parse("(a:1 OR b:2) AND c:3"));

    [Theory]
    [InlineData("NOT a:1")]
    [InlineData("-a:1")]
    public void Parse_NotOrMinus_Negates(string q) =>
        Assert.Equal(new UserQueryNot(new UserQueryTerm("a", "1", false)), UserQueryParser.Parse(q));

    [Fact]
    public void Parse_LowerCaseOperator_IsNotAnOperator() =>
        Assert.Throws<UserQuerySyntaxException>(() => UserQueryParser.Parse("a:1 or b:2"));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("john", "has no field")]
    [InlineData("a:jo?n", "?")]
    [InlineData("a:j*n", "only at the end")]
    [InlineData("a:*jo", "only at the end")]
    [InlineData("a:jon~1", "fuzzy")]
    [InlineData("a:jon^2", "boosts")]
    [InlineData("a:/re/", "regular expressions")]
    [InlineData("a:(x y)", "grouping values")]
    [InlineData("+a:1", "\"+\"")]
    [InlineData("(a:1", "not closed")]
    [InlineData("a:1)", "unexpected")]
    [InlineData("a:\"open", "not closed")]
    [InlineData("a:[1 5]", "TO")]
    [InlineData("a:[1 TO 5", "not closed")]
    [InlineData("a:", "no value")]
    [InlineData(":x", "no field")]
    [InlineData("_exists_:*", "field name")]
    public void Parse_OutsideTheSubset_ThrowsNamingThePart(string q, string named)
    {
        var error = Assert.Throws<UserQuerySyntaxException>(() => UserQueryParser.Parse(q));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DeepNesting_IsRefusedBeforeTheStackRunsOut()
    {
        var q = new string('(', 40) + "a:1" + new string(')', 40);

        var error = Assert.Throws<UserQuerySyntaxException>(() => UserQueryParser.Parse(q));

        Assert.Contains("nests more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLong_IsRefused() =>
        Assert.Contains("longer than", Assert.Throws<UserQuerySyntaxException>(() => UserQueryParser.Parse("a:" + new string('x', UserQueryParser.MaxLength))).Message, StringComparison.Ordinal);
}
