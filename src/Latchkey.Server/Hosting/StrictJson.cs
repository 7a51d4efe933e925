using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Latchkey.Server.Hosting;

/// <summary>
/// The one JSON parsing policy for everything that comes from outside (request bodies, tenant files). System.Text.Json
/// parses some inputs it cannot read back: raw bytes that are not UTF-8 and <c>\uD800</c>-style escapes of a lone
/// surrogate only fail later, in <c>GetString()</c> or on first enumeration, with an <see cref="InvalidOperationException"/>
/// (a 500 if nobody expects it). Here they fail at parse time, as a <see cref="JsonException"/> whose message is one of
/// the reasons below, together with duplicate properties (RFC 8259 §4: names SHOULD be unique; a reader that silently
/// keeps one of two values can be made to disagree with another reader) and excessive nesting.
/// </summary>
internal static class StrictJson
{
    public const string NotUtf8 = "not valid UTF-8";
    public const string LoneSurrogate = "a lone surrogate escape";
    public const string DuplicateProperty = "a duplicate property";
    public const string NotJson = "not valid JSON";

    /// <summary>Options for any serializer-bound JSON (minimal API bodies): duplicate properties are refused.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AllowDuplicateProperties = false;
    }

    public static string TooDeep(int maxDepth) => $"nested more than {maxDepth} levels deep";

    /// <summary>Parses <paramref name="utf8"/> or throws a <see cref="JsonException"/> whose message is the reason.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, int maxDepth, bool allowCommentsAndTrailingCommas = false)
    {
        Validate(utf8.Span, maxDepth, allowCommentsAndTrailingCommas);
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions
            {
                AllowDuplicateProperties = false,
                AllowTrailingCommas = allowCommentsAndTrailingCommas,
                CommentHandling = allowCommentsAndTrailingCommas ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
                MaxDepth = maxDepth + 1,
            });
        }
        catch (JsonException ex)
        {
            // Syntax, depth and strings were validated above: what is left is a duplicate property (at any depth).
            // The inner exception names it, for readers that may echo it (the tenant file).
            throw new JsonException(DuplicateProperty, ex);
        }
    }

    /// <summary>As <see cref="Parse"/>, as a mutable node.</summary>
    public static JsonNode? ParseNode(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        Validate(utf8, maxDepth, lenient: false);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = maxDepth + 1 });
        }
        catch (JsonException ex)
        {
            throw new JsonException(DuplicateProperty, ex);
        }
    }

    private static void Validate(ReadOnlySpan<byte> utf8, int maxDepth, bool lenient)
    {
        if (!Utf8.IsValid(utf8))
        {
            throw new JsonException(NotUtf8);
        }

        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = lenient,
            CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            MaxDepth = maxDepth + 1,
        });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= maxDepth:
                        throw new JsonException(TooDeep(maxDepth));
                    case JsonTokenType.PropertyName or JsonTokenType.String when reader.ValueIsEscaped:
                        // Only an escape can produce a lone surrogate (the bytes are valid UTF-8); decoding finds it.
                        _ = reader.GetString();
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            throw new JsonException(LoneSurrogate);
        }
        catch (JsonException ex) when (ex.Message != TooDeep(maxDepth))
        {
            throw new JsonException(NotJson, ex);
        }
    }

    /// <summary>
    /// The JSON type names validation messages use, Auth0's wording ("Expected type string but found type number"): the
    /// Management API's body checks and the user import's per-user errors.
    /// </summary>
    public static string TypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    /// <summary><see cref="TypeName(JsonValueKind)"/> of a node; a missing node (JSON <c>null</c>) is <c>null</c>.</summary>
    public static string TypeName(JsonNode? node) => node is null ? "null" : TypeName(node.GetValueKind());
}
