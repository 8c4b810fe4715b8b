using CsCheck;

namespace Orchestrator.Core.Tests.Shell.Differential;

/// <summary>
/// Generated bash scripts for the differential test, built from pieces the parser must get right: wrappers (env,
/// command, nice, nohup, timeout, exec, xargs, find -exec), nested scripts (sh -c, bash -c, eval, trap), substitutions
/// ($( ), backticks, &lt;( )), here-documents and here-strings, redirections, every quoting, escapes, globs, brace
/// expansion, variables assigned earlier (some holding subscripts with command substitutions), functions, compound
/// commands and arithmetic. Harmless by construction: the only programs are from a short allowlist, and writes go to
/// files in the scratch directory (the sandbox makes everything else read-only anyway).
/// </summary>
internal sealed class ShellScriptGen
{
    private const int MaxDepth = 2;

    private readonly Gen<string>[] _scripts = new Gen<string>[MaxDepth + 1];
    private readonly Gen<string>[] _lists = new Gen<string>[MaxDepth + 1];
    private readonly Gen<string>[] _calls = new Gen<string>[MaxDepth + 1];
    private readonly Gen<string>[] _words = new Gen<string>[MaxDepth + 1];

    private ShellScriptGen()
    {
        for (var depth = 0; depth <= MaxDepth; depth++)
        {
            _words[depth] = WordOf(depth);
            _calls[depth] = CallOf(depth);
            _lists[depth] = ListOf(depth);
            _scripts[depth] = ScriptOf(depth);
        }
    }

    private static readonly Gen<string> Separator = Gen.OneOf("; ", " && ", " || ", "\n", " & ");

    private static readonly Gen<string> Plain = Gen.OneOf("a.txt", "b.txt", "hi", "dir", "dir/c.txt", "missing", "-n", "x=1", "--", ".hidden");

    private static readonly Gen<string> Quoted = Gen.OneOf(
        "'a b'", "\"a b\"", "'with space.txt'", "with\\ space.txt", "$'a\\tb'", "$'\\x61.txt'", "$'\\141\\056txt'", "$'\\u0062.txt'",
        "'$(cat b.txt)'", "\"\\$(cat b.txt)\"", "''", "\"\"", "a\\.txt", "\\a.txt", "\"a\"'.'txt", "$\"hi\"", "'it'\\''s'", "a\\\nb",
        "\"$(echo \"a b\")\"", "`echo \\`echo ls\\``", "$(ls # comment\n)", "$(case x in x) echo ls;; esac)", "$(< a.txt)", "${v-x}",
        "${v:-'x y'}", "a#b", "#comment", "\\#x", "$'\\r'", "$'\\cA'", "$'a\\0b.txt'", "$'\\101\\102'", "$'\\x4'", "$'\\u00e9'",
        "$'\\U0001F600'", "\\{a,b\\}", "'#'x", "a\\ b\\ c");

    private static readonly Gen<string> Glob = Gen.OneOf("*.txt", "?.txt", "[ab].txt", "d*", "*", ".*", "dir/*", "[!a]*.txt", "\\*.txt", "'*'.txt");

    private static readonly Gen<string> Brace = Gen.OneOf("{a,b}.txt", "{1..3}", "x{,y}", "{a..c}", "dir/{c,d}.txt", "'{a,b}'", "{a,\"b c\"}",
        "{a,b}{c,d}", "{a,{b,c}}", "{1..5..2}", "{a..e..2}", "{-1..1}", "{01..03}", "x{a..c}y", "{a}", "{,}", "{$v,b}");

    private static readonly Gen<string> Expansion = Gen.OneOf(
        "$v", "\"$v\"", "${v}", "${v:-a.txt}", "${#v}", "${v:0:1}", "${v/a/b}", "${v%.txt}", "$HOME", "\"$PWD\"/a.txt", "$PWD",
        "~", "~/h.txt", "~+/a.txt", "~-", "x=~/h.txt", "$n", "$((1+2))", "$((n+1))", "\"$((n*2))\"", "${!v}", "${v:n}", "$1", "\"$@\"",
        "$*", "${w[0]}", "${w[n]}", "$#", "$?", "${v@Q}", "${p}");

    private static readonly Gen<string> Value = Gen.OneOf(
        "a.txt", "'a.txt b.txt'", "'a[$(cat b.txt)]'", "'x[$(ls -d dir)]'", "cat", "ls", "'5 ls'", "1", "0", "'$(cat a.txt)'",
        "\"$HOME\"", "~", "'*.txt'", "*.txt", "'-exec'", "n", "$'a\\nb'", "''");

    private static readonly Gen<string> Program = Gen.OneOf("cat", "ls", "echo", "'cat a.txt'", "'env cat'", "'5 ls'", "true");

    private static readonly Gen<string> Redirection = Gen.OneOf(
        "> out1", ">> out2", "2>/dev/null", "&> out3", "< a.txt", "<<< a.txt", "<<< \"$v\"", ">&2", "2>&1", "> \"$v.out\"", ">| out1",
        "1>out2", "< dir/c.txt", "&>> out3", "> ~/out4", "> ~+/out5", "<> out1");

    private static readonly Gen<string> Builtin = Gen.OneOf(
        "unset v", "read -r v < a.txt", "printf -v w '%s' ls", "shift", "set -- a.txt b.txt", "shopt -s nullglob", "export v", "cd dir",
        "cd ..", "cd ~", "pwd", ": noop", "type cat", "command -v ls", "hash", "alias l=ls", "let n=n+1", "let n=2", "declare -i n=1",
        "declare -i k; k=v", "local x", "readonly r=1", "test -v v", "[ -v 'w[n]' ]", "[ -f a.txt ]", "unset 'w[n]'",
        "declare -n ref=v", "printf -v 'w[n]' x", "read -r 'w[n]' <<< x", "compgen -W '$(ls -d dir)' d", "enable -n echo",
        "hash -p /bin/cat lz", "builtin echo hi", "command -p cat a.txt", "w=(a b)", "exec 3< a.txt", "source ./run.sh", ". ./run.sh",
        "bash run.sh", "sh ./run.sh", "wait", "trap - EXIT", "set -f", "set +f", "HOME=/tmp", "PWD=/", "IFS=.", "x=$(ls)");

    private Gen<string> WordOf(int depth)
    {
        var options = new List<(int, IGen<string>)>
        {
            (5, Plain), (3, Quoted), (2, Glob), (2, Brace), (4, Expansion),
        };
        if (depth > 0)
        {
            var inner = _calls[depth - 1];
            options.Add((2, inner.Select(c => "$(" + c + ")")));
            options.Add((1, _calls[0].Select(c => "`" + c + "`")));
            options.Add((1, inner.Select(c => "\"$(" + c + ")\"")));
            options.Add((1, inner.Select(c => "<(" + c + ")")));
            options.Add((1, inner.Select(c => "\"x$(" + c + ")y\"")));
        }
        return Gen.Frequency(options.ToArray());
    }

    private Gen<string> Words(int depth, int max) => _words[depth].Array[0, max].Select(words => string.Concat(words.Select(w => " " + w)));

    /// <summary>One command as argv (no redirections or operators), as a wrapper or find -exec can run it.</summary>
    private Gen<string> CallOf(int depth)
    {
        var words = Words(depth, 2);
        var options = new List<(int, IGen<string>)>
        {
            (4, words.Select(w => "echo" + w)),
            (1, words.Select(w => "printf '%s\\n'" + w)),
            (1, Gen.Const("true")),
            (3, words.Select(w => "cat" + w)),
            (2, Gen.Select(Gen.OneOf("", " -d", " -a", " -1"), words, (o, w) => "ls" + o + w)),
            (1, Gen.Select(Gen.OneOf("$p", "\"$p\"", "$(echo cat)", "`echo ls`", "${p:-cat}", "$v", "*.txt", "c*t"), words, (p, w) => p + w)),
            (2, Gen.Select(Gen.OneOf("'cat'", "c\\at", "\"ca\"t", "$'\\x63at'", "ca''t", "{cat,a.txt}", "$'c\\141t'", "\\cat", "/bin/cat", "./run.sh",
                    "l\\\ns", "{ls,-d}", "$'l\\u0073'", "builtin command cat", "env env cat", "command exec cat", "time ls", "l${v:0:0}s"),
                words, (p, w) => p + w)),
            (2, Builtin),
        };
        if (depth > 0)
        {
            var inner = _calls[depth - 1];
            options.Add((1, Gen.Select(Gen.OneOf("", "X=1 ", "-i ", "-u v ", "A=$v ", "$v "), inner, (o, c) => "env " + o + c)));
            options.Add((1, inner.Select(c => "command " + c)));
            options.Add((1, Gen.Select(Gen.OneOf("", "-n 1 ", "-n $n ", "$n "), inner, (o, c) => "nice " + o + c)));
            options.Add((1, inner.Select(c => "nohup " + c)));
            options.Add((1, Gen.Select(Gen.OneOf("5", "$n", "-s KILL 5", "\"5\""), inner, (t, c) => "timeout " + t + " " + c)));
            options.Add((1, inner.Select(c => "find . -maxdepth 1 -name '*.txt' -exec " + c + " {} \\;")));
            options.Add((1, inner.Select(c => "find . -maxdepth 1 -name 'a*' -exec " + c + " \\;")));
            var script = _scripts[depth - 1];
            options.Add((2, Gen.Select(Gen.OneOf("sh -c ", "bash -c ", "eval ", "sh -c -- ", "eval -- "), script, QuoteStyle, (s, body, quote) => s + quote(body))));
            options.Add((1, Gen.Select(script, QuoteStyle, (body, quote) => "trap " + quote(body) + " EXIT")));
            options.Add((1, Gen.Select(script, QuoteStyle, (body, quote) => "sh -c " + quote(body) + " sh a.txt")));
        }
        return Gen.Frequency(options.ToArray());
    }

    private static readonly Gen<Func<string, string>> QuoteStyle = Gen.OneOf<Func<string, string>>(
        s => "'" + s.Replace("'", "'\\''") + "'",
        s => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("$", "\\$").Replace("`", "\\`") + "\"",
        s => "$'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n") + "'");

    private Gen<string> SimpleOf(int depth)
    {
        var call = _calls[depth];
        var assignment = Gen.Select(Gen.OneOf("v", "w", "n", "p"), Gen.OneOf("=", "+="), Value, (name, op, value) => name + op + value);
        var programAssignment = Program.Select(p => "p=" + p);
        var redirections = Redirection.Array[0, 1].Select(r => string.Concat(r.Select(x => " " + x)));
        var body = Gen.Frequency(
            (6, call),
            (2, assignment),
            (1, programAssignment),
            (1, Gen.Select(assignment, call, (a, c) => a + " " + c)));
        return Gen.Select(body, redirections, (b, r) => b + r);
    }

    private Gen<string> PipelineOf(int depth)
    {
        var simple = SimpleOf(depth);
        var command = depth == 0 ? simple : Gen.Frequency((8, simple), (1, CompoundOf(depth)));
        var xargs = Gen.Select(Gen.OneOf("echo a.txt b.txt", "ls", "printf '%s\\n' a.txt", "echo"), Gen.OneOf("", "-n 1 ", "-I{} ", "-0 "),
            depth > 0 ? _calls[depth - 1] : _calls[0], (input, option, c) => input + " | xargs " + option + c);
        return Gen.Frequency(
            (6, command),
            (2, Gen.Select(command, Gen.OneOf(" | ", " |& "), command, (a, op, b) => a + op + b)),
            (1, command.Select(c => "! " + c)),
            (1, xargs));
    }

    private Gen<string> CompoundOf(int depth)
    {
        var list = _lists[depth - 1];
        var word = _words[depth - 1];
        return Gen.Frequency(
            (2, list.Select(l => "{ " + l + "\n}")),
            (2, list.Select(l => "( " + l + "\n)")),
            (2, Gen.Select(list, list, list, (c, t, e) => "if " + c + "\nthen " + t + "\nelse " + e + "\nfi")),
            (2, Gen.Select(word.Array[1, 3], list, (w, b) => "for v in " + string.Join(' ', w) + "; do " + b + "\ndone")),
            (1, list.Select(l => "while false; do " + l + "\ndone")),
            (1, Gen.Select(word, Gen.OneOf("a.txt", "a*", "$v", "$((n))", "[ab].txt", "'*'"), list, list,
                (w, pattern, a, b) => "case " + w + " in\n" + pattern + ") " + a + " ;;\n*) " + b + " ;;\nesac")),
            (1, Gen.Select(list, Gen.OneOf("f() { ", "function g { ", "h() ( "), (l, head) => head + l + (head[0] == 'h' ? "\n)" : "\n}"))),
            (1, Gen.OneOf("(( n > 0 ))", "(( v ))", "for ((i=0; i<2; i++)); do echo $i; done")),
            (2, Gen.OneOf("[[ -f a.txt ]]", "[[ $v == a* ]]", "[[ n -eq 1 ]]", "[[ $v -gt 0 ]]", "[[ -v v ]]", "[[ -v w[n] ]]", "[[ a < b ]]",
                "[[ -n $(cat a.txt) ]]", "[[ 1 -eq 1 ]]", "[[ -v w[0] ]]")),
            (1, list.Select(l => "time " + l)));
    }

    /// <summary>A here-document, which ends its line.</summary>
    private Gen<string> HereDocOf(int depth)
    {
        var word = _words[depth];
        var body = word.Array[1, 3].Select(w => string.Join(' ', w));
        return Gen.Select(Gen.OneOf("cat <<EOF", "cat <<'EOF'", "cat <<-EOF", "cat <<\"EOF\"", "xargs echo <<EOF", "cat <<E\"O\"F", "cat <<\\EOF",
                "cat < a.txt <<EOF", "sh <<EOF", "bash -s <<'EOF'"), body,
            (op, b) => op + "\n" + (op.EndsWith("-EOF", StringComparison.Ordinal) ? "\t" : "") + b + "\nEOF");
    }

    private Gen<string> ListOf(int depth)
    {
        var pipeline = PipelineOf(depth);
        return Gen.Select(pipeline, Gen.Select(Separator, pipeline, (s, p) => s + p).Array[0, 2], (first, rest) => first + string.Concat(rest));
    }

    private Gen<string> ScriptOf(int depth) =>
        Gen.Frequency((5, _lists[depth]), (1, HereDocOf(depth))).Array[1, 2].Select(lines => string.Join('\n', lines));

    // Last: static fields initialise in order, and the building above reads the ones before.
    public static Gen<string> Script { get; } = new ShellScriptGen()._scripts[MaxDepth];
}
