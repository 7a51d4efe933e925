using System.Text;

namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// Parses the <c>q</c> of Auth0's user search v3 (Lucene query syntax) into a <see cref="UserQuery"/>. Lucene's query
/// parser is not a dependency here because only a small, documented subset can become SQL with an index behind it; the
/// grammar is:
/// <code>
/// query   := or
/// or      := and ("OR" and)*
/// and     := unary (["AND"] unary)*            (a space between clauses means AND, Auth0's default operator)
/// unary   := ("NOT" | "-") unary | primary
/// primary := "(" or ")" | field ":" value
/// value   := "phrase" | word | word* | * | [lower TO upper] | {lower TO upper}   (mixed brackets allowed)
/// </code>
/// Anything else (a bare word without a field, fuzzy <c>~</c>, boosts <c>^</c>, regular expressions, <c>?</c> or inner
/// wildcards, <c>+</c>) is refused with a message naming it: a query is never widened or silently ignored.
/// </summary>
internal sealed class UserQueryParser
{
    /// <summary>Longer queries are refused before parsing (Auth0 caps <c>q</c> as well).</summary>
    public const int MaxLength = 2000;

    /// <summary>Bounds recursion (parentheses and NOT) so a hostile query cannot exhaust the stack.</summary>
    public const int MaxDepth = 32;

    private readonly string _text;
    private int _position;
    private int _depth;

    private UserQueryParser(string text) => _text = text;

    /// <summary>The query, or throws <see cref="UserQuerySyntaxException"/> naming what is not supported.</summary>
    public static UserQuery Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new UserQuerySyntaxException($"the query is longer than {MaxLength} characters");
        }

        var parser = new UserQueryParser(text);
        parser.SkipSpaces();
        if (parser.AtEnd)
        {
            throw new UserQuerySyntaxException("the query is empty");
        }

        var query = parser.ParseOr();
        parser.SkipSpaces();
        if (!parser.AtEnd)
        {
            throw new UserQuerySyntaxException($"unexpected \"{parser.Rest()}\"");
        }

        return query;
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private UserQuery ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("OR"))
        {
            left = new UserQueryOr(left, ParseAnd());
        }

        return left;
    }

    private UserQuery ParseAnd()
    {
        var left = ParseUnary();
        while (true)
        {
            SkipSpaces();
            if (AtEnd || Current == ')' || PeekKeyword("OR"))
            {
                return left;
            }

            TryKeyword("AND");
            left = new UserQueryAnd(left, ParseUnary());
        }
    }

    private UserQuery ParseUnary()
    {
        SkipSpaces();
        if (TryKeyword("NOT") || TrySymbol('-'))
        {
            return new UserQueryNot(Nested(ParseUnary));
        }

        return ParsePrimary();
    }

    private UserQuery ParsePrimary()
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw new UserQuerySyntaxException("the query ends where a clause was expected");
        }

        if (TrySymbol('('))
        {
            var inner = Nested(ParseOr);
            SkipSpaces();
            if (!TrySymbol(')'))
            {
                throw new UserQuerySyntaxException("a \"(\" is not closed");
            }

            return inner;
        }

        if (Current is '+' or '!')
        {
            throw new UserQuerySyntaxException($"the operator \"{Current}\" is not supported (use AND, OR, NOT)");
        }

        var start = _position;
        while (!AtEnd && IsFieldChar(Current))
        {
            _position++;
        }

        var field = _text[start.._position];
        if (AtEnd || Current != ':')
        {
            var word = ReadWord(out _);
            throw new UserQuerySyntaxException(field.Length + word.Length == 0
                ? $"unexpected \"{Rest()}\""
                : $"\"{field}{word}\" has no field: write field:value (e.g. email:\"{field}{word}\")");
        }

        if (field.Length == 0)
        {
            throw new UserQuerySyntaxException("a \":\" has no field before it");
        }

        _position++; // ':'
        if (AtEnd || char.IsWhiteSpace(Current))
        {
            throw new UserQuerySyntaxException($"{field}: has no value");
        }

        if (field == "_exists_")
        {
            var target = ReadWord(out var wildcard);
            if (wildcard || target.Length == 0)
            {
                throw new UserQuerySyntaxException("_exists_ takes a field name");
            }

            return new UserQueryExists(target);
        }

        if (Current == '"')
        {
            return new UserQueryTerm(field, ReadPhrase(), Prefix: false);
        }

        if (Current is '[' or '{')
        {
            return ReadRange(field);
        }

        if (Current == '(')
        {
            throw new UserQuerySyntaxException($"grouping values of one field ({field}:(…)) is not supported; repeat the field: {field}:a OR {field}:b");
        }

        if (Current == '/')
        {
            throw new UserQuerySyntaxException($"regular expressions ({field}:/…/) are not supported");
        }

        var value = ReadWord(out var prefix);
        if (value.Length == 0 && prefix)
        {
            return new UserQueryExists(field);
        }

        if (value.Length == 0)
        {
            throw new UserQuerySyntaxException($"{field}: has no value");
        }

        return new UserQueryTerm(field, value, prefix);
    }

    private UserQuery Nested(Func<UserQuery> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw new UserQuerySyntaxException($"the query nests more than {MaxDepth} levels");
        }

        var result = parse();
        _depth--;
        return result;
    }

    private UserQueryRange ReadRange(string field)
    {
        var includeLower = Current == '[';
        _position++;
        SkipSpaces();
        var lower = ReadBound();
        SkipSpaces();
        if (!TryKeyword("TO"))
        {
            throw new UserQuerySyntaxException($"the range of {field} needs \"TO\" between its bounds: {field}:[a TO b]");
        }

        SkipSpaces();
        var upper = ReadBound();
        SkipSpaces();
        if (AtEnd || Current is not (']' or '}'))
        {
            throw new UserQuerySyntaxException($"the range of {field} is not closed with \"]\" or \"}}\"");
        }

        var includeUpper = Current == ']';
        _position++;
        return new UserQueryRange(field, lower, includeLower, upper, includeUpper);
    }

    /// <summary>A range bound: a phrase, a word, or <c>*</c> (open, null).</summary>
    private string? ReadBound()
    {
        if (!AtEnd && Current == '"')
        {
            return ReadPhrase();
        }

        var start = _position;
        var builder = new StringBuilder();
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not (']' or '}'))
        {
            builder.Append(Current == '\\' && _position + 1 < _text.Length ? _text[++_position] : Current);
            _position++;
        }

        var bound = builder.ToString();
        if (bound.Length == 0)
        {
            throw new UserQuerySyntaxException($"a range bound is missing near \"{_text[start..]}\"");
        }

        return bound == "*" ? null : bound;
    }

    private string ReadPhrase()
    {
        var start = _position;
        _position++; // opening quote
        var builder = new StringBuilder();
        while (!AtEnd && Current != '"')
        {
            builder.Append(Current == '\\' && _position + 1 < _text.Length ? _text[++_position] : Current);
            _position++;
        }

        if (AtEnd)
        {
            throw new UserQuerySyntaxException($"the phrase {_text[start..]} is not closed with \"");
        }

        _position++; // closing quote
        return builder.ToString();
    }

    /// <summary>An unquoted value up to a space or <c>)</c>; backslash escapes a character. A trailing <c>*</c> sets <paramref name="prefix"/>.</summary>
    private string ReadWord(out bool prefix)
    {
        prefix = false;
        var start = _position;
        var builder = new StringBuilder();
        while (!AtEnd && !char.IsWhiteSpace(Current) && Current != ')')
        {
            var c = Current;
            if (c == '\\' && _position + 1 < _text.Length)
            {
                builder.Append(_text[++_position]);
                _position++;
                continue;
            }

            if (c == '*' && (_position + 1 == _text.Length || char.IsWhiteSpace(_text[_position + 1]) || _text[_position + 1] == ')'))
            {
                prefix = true;
                _position++;
                break;
            }

            var word = _text[start..].Split(' ', ')')[0];
            var problem = c switch
            {
                '*' => $"\"{word}\": a wildcard is supported only at the end of a value (prefix*)",
                '?' => $"\"{word}\": the single-character wildcard ? is not supported",
                '~' => $"\"{word}\": fuzzy and proximity searches (~) are not supported",
                '^' => $"\"{word}\": boosts (^) are not supported",
                '"' or '(' or '[' or ']' or '{' or '}' or ':' => $"\"{word}\": unexpected \"{c}\" inside a value (quote the value or escape it with \\)",
                _ => null,
            };
            if (problem is not null)
            {
                throw new UserQuerySyntaxException(problem);
            }

            builder.Append(c);
            _position++;
        }

        return builder.ToString();
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpaces();
        if (!PeekKeyword(keyword))
        {
            return false;
        }

        _position += keyword.Length;
        return true;
    }

    /// <summary>An operator in capitals followed by a space or a parenthesis (Lucene: lower-case <c>and</c> is a word).</summary>
    private bool PeekKeyword(string keyword)
    {
        var end = _position + keyword.Length;
        return string.CompareOrdinal(_text, _position, keyword, 0, keyword.Length) == 0
            && end < _text.Length && (char.IsWhiteSpace(_text[end]) || _text[end] == '(');
    }

    private bool TrySymbol(char symbol)
    {
        if (AtEnd || Current != symbol)
        {
            return false;
        }

        _position++;
        return true;
    }

    private void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }
    }

    private string Rest() => _text[_position..];

    private static bool IsFieldChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
