using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Latchkey.Server.Logs;

namespace Latchkey.Server.Management.Logs;

/// <summary>
/// The <c>q</c> of <c>GET /api/v2/logs</c>: the part of Lucene's query syntax that log searches use, translated to a
/// filter the database evaluates with its indexes. Terms are <c>field:value</c> or <c>field:"phrase"</c> on
/// <c>type</c>, <c>user_id</c>, <c>client_id</c>, <c>user_name</c> and <c>ip</c> (exact), and date ranges
/// <c>date:[a TO b]</c> (inclusive), <c>date:{a TO b}</c> (exclusive), <c>*</c> for an open end; terms combine with
/// <c>AND</c>/<c>OR</c> (or <c>&amp;&amp;</c>/<c>||</c>) and parentheses. Anything else (<c>NOT</c>, wildcards, fuzzy
/// or boosted terms, other fields, terms side by side without an operator) is refused with a 400 that names it, never
/// searched loosely.
/// </summary>
/// <remarks>
/// Written here, bounded to the log's fields, because the users search parser (<c>Management/Search/</c>, branch
/// users-search) was not available yet; the two are to become one parser with per-resource field tables.
/// </remarks>
internal sealed class LogQuery
{
    /// <summary>Longest <c>q</c> accepted, and deepest nesting of parentheses: the parse and the SQL stay small.</summary>
    public const int MaxLength = 1024;
    private const int MaxDepth = 16;

    private static readonly ParameterExpression Entry = Expression.Parameter(typeof(LogEvent), "e");

    private static readonly Dictionary<string, string> ExactFields = new(StringComparer.Ordinal)
    {
        ["type"] = nameof(LogEvent.Type),
        ["user_id"] = nameof(LogEvent.UserId),
        ["client_id"] = nameof(LogEvent.ClientId),
        ["user_name"] = nameof(LogEvent.UserName),
        ["ip"] = nameof(LogEvent.Ip),
    };

    private readonly string _text;
    private int _position;
    private int _depth;

    private LogQuery(string text) => _text = text;

    /// <summary>The filter <paramref name="q"/> describes, or what in it is not supported.</summary>
    public static Expression<Func<LogEvent, bool>>? Parse(string q, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.Length > MaxLength)
        {
            problem = $"the query is longer than {MaxLength} characters";
            return null;
        }

        try
        {
            var parser = new LogQuery(q);
            var body = parser.ParseOr();
            parser.SkipSpaces();
            if (!parser.AtEnd)
            {
                throw new FormatException($"unexpected '{parser.Rest()}'");
            }

            problem = null;
            return Expression.Lambda<Func<LogEvent, bool>>(body, Entry);
        }
        catch (FormatException exception)
        {
            problem = exception.Message;
            return null;
        }
    }

    private bool AtEnd => _position >= _text.Length;

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (TryOperator("OR", "||"))
        {
            left = Expression.OrElse(left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParsePrimary();
        while (true)
        {
            SkipSpaces();
            if (AtEnd || _text[_position] == ')' || PeekOperator("OR", "||"))
            {
                return left;
            }

            if (!TryOperator("AND", "&&"))
            {
                throw new FormatException($"join terms with AND or OR before '{Rest()}'");
            }

            left = Expression.AndAlso(left, ParsePrimary());
        }
    }

    private Expression ParsePrimary()
    {
        SkipSpaces();
        if (AtEnd)
        {
            throw new FormatException("the query ends where a term is expected");
        }

        if (PeekOperator("NOT", "!") || _text[_position] is '-' or '+')
        {
            throw new FormatException($"NOT and +/- prefixes are not supported ('{Rest()}')");
        }

        if (_text[_position] != '(')
        {
            return ParseTerm();
        }

        if (++_depth > MaxDepth)
        {
            throw new FormatException($"parentheses nest deeper than {MaxDepth}");
        }

        _position++;
        var inner = ParseOr();
        SkipSpaces();
        if (AtEnd || _text[_position] != ')')
        {
            throw new FormatException("a '(' is not closed");
        }

        _position++;
        _depth--;
        return inner;
    }

    private Expression ParseTerm()
    {
        var start = _position;
        while (!AtEnd && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '_' or '.'))
        {
            _position++;
        }

        var field = _text[start.._position];
        if (field.Length == 0 || AtEnd || _text[_position] != ':')
        {
            throw new FormatException($"expected field:value at '{Rest(start)}'");
        }

        _position++;
        if (field == "date")
        {
            return ParseDateRange();
        }

        if (!ExactFields.TryGetValue(field, out var member))
        {
            throw new FormatException($"the field '{field}' cannot be searched (supported: {string.Join(", ", ExactFields.Keys)}, date)");
        }

        var value = ParseValue(field);
        return Expression.Equal(Expression.Property(Entry, member), Expression.Constant(value, typeof(string)));
    }

    private string ParseValue(string field)
    {
        if (!AtEnd && _text[_position] == '"')
        {
            return ParseQuoted();
        }

        if (!AtEnd && _text[_position] is '[' or '{')
        {
            throw new FormatException($"ranges are supported on date only, not on {field}");
        }

        var start = _position;
        while (!AtEnd && !char.IsWhiteSpace(_text[_position]) && _text[_position] != ')')
        {
            if (_text[_position] is '*' or '?' or '~' or '^' or '(' or '"' or '\\' or ':')
            {
                throw new FormatException($"'{_text[_position]}' in {field}:{_text[start..]} is not supported: wildcards, fuzzy and boosted terms are not searched");
            }

            _position++;
        }

        if (_position == start)
        {
            throw new FormatException($"{field} has no value");
        }

        return _text[start.._position];
    }

    private string ParseQuoted()
    {
        _position++;
        var value = new StringBuilder();
        while (!AtEnd && _text[_position] != '"')
        {
            if (_text[_position] == '\\' && _position + 1 < _text.Length)
            {
                _position++;
            }

            value.Append(_text[_position++]);
        }

        if (AtEnd)
        {
            throw new FormatException("a '\"' is not closed");
        }

        _position++;
        return value.ToString();
    }

    /// <summary><c>[a TO b]</c> includes both ends, <c>{a TO b}</c> neither; <c>*</c> leaves an end open.</summary>
    private Expression ParseDateRange()
    {
        if (AtEnd || _text[_position] is not ('[' or '{'))
        {
            throw new FormatException("date takes a range: date:[from TO to]");
        }

        var inclusive = _text[_position++] == '[';
        var lower = ReadBound(' ');
        SkipSpaces();
        if (!TryOperator("TO", "TO"))
        {
            throw new FormatException("a date range is date:[from TO to]");
        }

        SkipSpaces();
        var upper = ReadBound(inclusive ? ']' : '}');
        _position++;

        var date = Expression.Property(Entry, nameof(LogEvent.Date));
        Expression? filter = null;
        if (lower != "*")
        {
            var from = Date(lower);
            filter = inclusive ? Expression.GreaterThanOrEqual(date, Constant(from)) : Expression.GreaterThan(date, Constant(from));
        }

        if (upper != "*")
        {
            // A day as the inclusive upper end means all of that day (Lucene/Elasticsearch date rounding).
            var to = Date(upper);
            var dayOnly = upper.Length == "yyyy-MM-dd".Length;
            var bound = inclusive && dayOnly ? Expression.LessThan(date, Constant(to.AddDays(1)))
                : inclusive ? Expression.LessThanOrEqual(date, Constant(to))
                : Expression.LessThan(date, Constant(to));
            filter = filter is null ? bound : Expression.AndAlso(filter, bound);
        }

        return filter ?? Expression.Constant(true);
    }

    private string ReadBound(char end)
    {
        SkipSpaces();
        var start = _position;
        while (!AtEnd && !char.IsWhiteSpace(_text[_position]) && _text[_position] != end)
        {
            _position++;
        }

        if (_position == start || (end != ' ' && (AtEnd || _text[_position] != end)))
        {
            throw new FormatException("a date range is date:[from TO to]");
        }

        return _text[start.._position];
    }

    private static DateTimeOffset Date(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : throw new FormatException($"'{value}' is not an ISO 8601 date");

    private static ConstantExpression Constant(DateTimeOffset value) => Expression.Constant(value, typeof(DateTimeOffset));

    private bool PeekOperator(string word, string symbol)
    {
        SkipSpaces();
        return Follows(word, requireBoundary: true) || Follows(symbol, requireBoundary: symbol.All(char.IsAsciiLetter));
    }

    private bool TryOperator(string word, string symbol)
    {
        if (!PeekOperator(word, symbol))
        {
            return false;
        }

        _position += Follows(word, requireBoundary: true) ? word.Length : symbol.Length;
        return true;
    }

    private bool Follows(string token, bool requireBoundary)
    {
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }

        var next = _position + token.Length;
        return !requireBoundary || next >= _text.Length || char.IsWhiteSpace(_text[next]) || _text[next] == '(';
    }

    private void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private string Rest(int? from = null)
    {
        var start = from ?? _position;
        var rest = _text[start..];
        return rest.Length > 40 ? rest[..40] + "…" : rest;
    }
}
