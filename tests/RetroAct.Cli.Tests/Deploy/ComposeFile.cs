using System.Text;

namespace RetroAct.Cli.Tests.Deploy;

/// <summary>One service of a compose file, with compose's <c>${VAR:-default}</c> variables replaced by their defaults.</summary>
internal sealed record ComposeService(string Name, IReadOnlySet<string> Keys, IReadOnlyList<string> Command,
                                      IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Volumes, IReadOnlyList<string> Ports);

/// <summary>The services of a docker-compose.yml, read with <see cref="SimpleYaml"/>.</summary>
internal static class ComposeFile
{
    public static IReadOnlyList<ComposeService> Read(string path)
    {
        if (SimpleYaml.Parse(File.ReadAllLines(path)) is not YamlMapping root) throw new InvalidDataException($"{path}: not a mapping at the top");
        if (root.Get("services") is not YamlMapping services) throw new InvalidDataException($"{path}: no services mapping");
        return services.Entries.Select(e => Service(e.Key, e.Value as YamlMapping ?? throw new InvalidDataException($"{path}: service {e.Key} is not a mapping")))
            .ToList();
    }

    private static ComposeService Service(string name, YamlMapping service)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (service.Get("environment"))
        {
            case YamlMapping map:
                foreach (var (key, value) in map.Entries) environment[key] = Interpolate(Scalar(value));
                break;
            case YamlSequence list:
                foreach (string item in Scalars(list))
                {
                    int eq = item.IndexOf('=', StringComparison.Ordinal);
                    environment[eq < 0 ? item : item[..eq]] = eq < 0 ? "" : item[(eq + 1)..];
                }
                break;
        }
        return new ComposeService(name, service.Entries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal),
            Scalars(service.Get("command")), environment, Scalars(service.Get("volumes")), Scalars(service.Get("ports")));
    }

    private static List<string> Scalars(YamlNode? node) => node switch
    {
        null => [],
        YamlSequence list => list.Items.Select(i => Interpolate(Scalar(i))).ToList(),
        YamlScalar s => throw new NotSupportedException($"'{s.Value}': only the list form is read here (command: [node, ...] or a block list)"),
        _ => throw new NotSupportedException("a list of strings was expected"),
    };

    private static string Scalar(YamlNode node) => node as YamlScalar is { } s ? s.Value : throw new NotSupportedException("a string was expected");

    /// <summary>${VAR:-default} and ${VAR-default} become the default, $$ becomes $; a variable without a default is an error.</summary>
    public static string Interpolate(string value)
    {
        var result = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] != '$') { result.Append(value[i]); continue; }
            if (i + 1 < value.Length && value[i + 1] == '$') { result.Append('$'); i++; continue; }
            if (i + 1 >= value.Length || value[i + 1] != '{') throw new NotSupportedException($"'{value}': write variables as ${{VAR:-default}}");
            int end = value.IndexOf('}', i);
            if (end < 0) throw new InvalidDataException($"'{value}': unclosed ${{");
            string inner = value[(i + 2)..end];
            int dash = inner.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0) throw new NotSupportedException($"'{value}': ${{{inner}}} has no default; give one (${{{inner}:-value}})");
            result.Append(inner[(dash + 1)..]);
            i = end;
        }
        return result.ToString();
    }
}

internal abstract record YamlNode;

internal sealed record YamlScalar(string Value) : YamlNode;

internal sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode;

internal sealed record YamlMapping(IReadOnlyList<KeyValuePair<string, YamlNode>> Entries) : YamlNode
{
    public YamlNode? Get(string key) => Entries.LastOrDefault(e => e.Key == key).Value;
}

/// <summary>
/// The block-style subset of YAML that compose files are written in, read line by line: mappings and lists by
/// indentation, plain and quoted strings, comments, anchors (&amp;name), aliases (*name), merge keys (&lt;&lt;: *name) and
/// one-line flow lists ([a, b]). Anything else (multi-line strings, nested flow collections) is a
/// <see cref="NotSupportedException"/> naming the line, so an unread construct fails loudly instead of being skipped.
/// </summary>
internal static class SimpleYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static YamlNode Parse(IEnumerable<string> lines)
    {
        var content = new List<Line>();
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            if (raw[..(raw.Length - raw.TrimStart().Length)].Contains('\t', StringComparison.Ordinal))
                throw new InvalidDataException($"line {number}: tab in indentation");
            string text = StripComment(raw).TrimEnd();
            if (text.Trim().Length == 0 || text.Trim() == "---") continue;
            content.Add(new Line(number, text.Length - text.TrimStart().Length, text.Trim()));
        }
        if (content.Count == 0) return new YamlMapping([]);
        var reader = new Reader(content);
        var node = reader.Block(content[0].Indent);
        if (reader.Position < content.Count) throw new InvalidDataException($"line {content[reader.Position].Number}: unexpected indentation");
        return node;
    }

    private sealed class Reader(List<Line> lines)
    {
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);

        public int Position { get; private set; }

        public YamlNode Block(int indent) =>
            IsItem(lines[Position].Text) ? Sequence(indent) : Mapping(indent);

        private static bool IsItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

        private YamlSequence Sequence(int indent)
        {
            var items = new List<YamlNode>();
            while (Position < lines.Count && lines[Position].Indent == indent && IsItem(lines[Position].Text))
            {
                var line = lines[Position++];
                string item = line.Text.Length > 1 ? line.Text[2..].Trim() : "";
                if (item.Length == 0 || (KeyEnd(item) >= 0 && item[0] is not ('"' or '\'')))
                    throw new NotSupportedException($"line {line.Number}: only lists of strings are read here ('{line.Text}')");
                items.Add(Value(item, line));
            }
            return new YamlSequence(items);
        }

        private YamlMapping Mapping(int indent)
        {
            var explicitEntries = new List<KeyValuePair<string, YamlNode>>();
            var merged = new List<KeyValuePair<string, YamlNode>>();
            while (Position < lines.Count && lines[Position].Indent == indent)
            {
                var line = lines[Position++];
                if (IsItem(line.Text)) throw new InvalidDataException($"line {line.Number}: a list item where a key was expected");
                int colon = KeyEnd(line.Text);
                if (colon < 0) throw new NotSupportedException($"line {line.Number}: expected 'key: value' ('{line.Text}')");
                string key = Unquote(line.Text[..colon].Trim(), line);
                string rest = line.Text[(colon + 1)..].Trim();
                string? anchor = null;
                if (rest.StartsWith('&'))
                {
                    int space = rest.IndexOf(' ', StringComparison.Ordinal);
                    anchor = space < 0 ? rest[1..] : rest[1..space];
                    rest = space < 0 ? "" : rest[(space + 1)..].Trim();
                }
                YamlNode value;
                if (rest.Length > 0) value = Value(rest, line);
                else if (Position < lines.Count && lines[Position].Indent > indent) value = Block(lines[Position].Indent);
                else if (Position < lines.Count && lines[Position].Indent == indent && IsItem(lines[Position].Text)) value = Sequence(indent);
                else value = new YamlScalar("");
                if (anchor is not null) _anchors[anchor] = value;
                if (key == "<<")
                {
                    if (value is not YamlMapping source) throw new NotSupportedException($"line {line.Number}: '<<' must merge a mapping");
                    merged.AddRange(source.Entries);
                }
                else
                {
                    explicitEntries.Add(new(key, value));
                }
            }
            // Explicit keys win over merged ones, wherever they stand.
            var keys = explicitEntries.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            return new YamlMapping([.. explicitEntries, .. merged.Where(e => keys.Add(e.Key))]);
        }

        private YamlNode Value(string text, Line line)
        {
            if (text.StartsWith('*'))
                return _anchors.TryGetValue(text[1..], out var target) ? target : throw new InvalidDataException($"line {line.Number}: unknown alias {text}");
            if (text == "{}") return new YamlMapping([]);
            if (text.StartsWith('['))
            {
                if (!text.EndsWith(']')) throw new NotSupportedException($"line {line.Number}: flow lists must close on their line");
                string inner = text[1..^1].Trim();
                if (inner.Contains('[', StringComparison.Ordinal) || inner.Contains('{', StringComparison.Ordinal) || inner.Contains('"', StringComparison.Ordinal) || inner.Contains('\'', StringComparison.Ordinal))
                    throw new NotSupportedException($"line {line.Number}: only flow lists of plain words are read here");
                return new YamlSequence(inner.Length == 0 ? [] : inner.Split(',').Select(s => (YamlNode)new YamlScalar(s.Trim())).ToList());
            }
            if (text[0] is '{' or '|' or '>') throw new NotSupportedException($"line {line.Number}: '{text}' is not read here");
            return new YamlScalar(Unquote(text, line));
        }
    }

    /// <summary>Where "key:" ends (the colon followed by a space or the end of the line, outside quotes); -1 if none.</summary>
    private static int KeyEnd(string text)
    {
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (i == 0 && c is '"' or '\'') { quote = c; continue; }
            if (c == ':' && (i + 1 == text.Length || text[i + 1] == ' ')) return i;
        }
        return -1;
    }

    private static string Unquote(string text, Line line)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            if (text.Contains('\\', StringComparison.Ordinal)) throw new NotSupportedException($"line {line.Number}: escapes in double quotes are not read here");
            return text[1..^1];
        }
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (text[0] is '"' or '\'') throw new NotSupportedException($"line {line.Number}: unterminated quote");
        return text;
    }

    /// <summary>Drops a comment: '#' at the start or after a space, outside quotes.</summary>
    private static string StripComment(string raw)
    {
        char quote = '\0';
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '"' or '\'' && (i == 0 || raw[i - 1] is ' ' or '[' or ',')) { quote = c; continue; }
            if (c == '#' && (i == 0 || raw[i - 1] == ' ')) return raw[..i];
        }
        return raw;
    }
}
