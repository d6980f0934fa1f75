using System.Text;

namespace Baton.Tests.Transcription;

/// <summary>
/// Writes a tiny Whisper model in whisper.cpp's ggml format with random weights: no real model ships in any package
/// this project can reach, and this one drives the same native load and decode path in milliseconds. What it
/// "hears" is noise, so tests can assert that a transcript came back, never what it says.
/// </summary>
/// <remarks>
/// The layout is the one whisper.cpp's <c>whisper_model_load</c> reads (checked against the version Whisper.net
/// 1.9.1 bundles): the magic, eleven int32 hyper-parameters, the mel filter bank, the vocabulary, then every tensor as
/// (n_dims, name length, type, dims, name, data), in any order, each with exactly the shape and type the loader
/// allocated for it.
/// </remarks>
static class WhisperNetTinyModel
{
    const uint GgmlMagic = 0x67676d6c;
    const int TypeF32 = 0;
    const int TypeF16 = 1;

    // The multilingual vocabulary size: whisper.cpp derives the special tokens (end of text, start of transcript,
    // the 99 language tokens, timestamps) from it, so it cannot shrink; the embedding stays small because State is.
    const int Vocabulary = 51865;
    // 30 s of audio is 3000 mel frames, halved by the second convolution: whisper.cpp windows the audio by this.
    const int AudioContext = 1500;
    // A short text context bounds how many tokens a random decoder can emit per window (whisper.cpp stops at half).
    const int TextContext = 64;
    const int State = 32;
    const int Heads = 2;
    const int Layers = 1;
    const int Mels = 80;
    // 1 + WHISPER_N_FFT / 2 frequency bins.
    const int FftBins = 201;
    // The first token ids are text; the rest (from 50257) are the special tokens whisper.cpp names itself.
    const int TextTokens = 50257;
    // Where GPT-2's byte-level vocabulary has the lone space: whisper.cpp looks " " up to suppress blank output.
    const int SpaceToken = 220;

    /// <summary>Writes the model to <paramref name="path"/> (about 3.5 MB) and returns the path.</summary>
    public static string Write(string path, int seed = 14)
    {
        File.WriteAllBytes(path, Create(seed));
        return path;
    }

    /// <summary>The model's bytes; the same <paramref name="seed"/> gives the same bytes.</summary>
    public static byte[] Create(int seed = 14)
    {
        var random = new Random(seed);
        using var buffer = new MemoryStream();
        using (var file = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            file.Write(GgmlMagic);
            foreach (var value in new[] { Vocabulary, AudioContext, State, Heads, Layers, TextContext, State, Heads, Layers, Mels, TypeF16 })
                file.Write(value);

            file.Write(Mels);
            file.Write(FftBins);
            for (var i = 0; i < Mels * FftBins; i++)
                file.Write(random.NextSingle() * 0.01f);

            file.Write(TextTokens);
            for (var id = 0; id < TextTokens; id++)
            {
                var word = Encoding.UTF8.GetBytes(Word(id));
                file.Write((uint)word.Length);
                file.Write(word);
            }

            WriteTensors(file, random);
        }
        return buffer.ToArray();
    }

    /// <summary>A pronounceable token (" ka", "lo", " mi"…), so that noise reads as words rather than as markers.</summary>
    static string Word(int id)
    {
        if (id == SpaceToken) return " ";
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var space = id % 2 == 0 ? " " : "";
        return $"{space}{consonants[id / 2 % consonants.Length]}{vowels[id / 2 / consonants.Length % vowels.Length]}";
    }

    static void WriteTensors(BinaryWriter file, Random random)
    {
        const int hidden = 4 * State;
        Tensor(file, random, "encoder.positional_embedding", TypeF32, State, AudioContext);
        Tensor(file, random, "encoder.conv1.weight", TypeF16, 3, Mels, State);
        Tensor(file, random, "encoder.conv1.bias", TypeF32, 1, State);
        Tensor(file, random, "encoder.conv2.weight", TypeF16, 3, State, State);
        Tensor(file, random, "encoder.conv2.bias", TypeF32, 1, State);
        Norm(file, random, "encoder.ln_post");
        for (var layer = 0; layer < Layers; layer++)
        {
            var block = $"encoder.blocks.{layer}";
            Norm(file, random, $"{block}.mlp_ln");
            Linear(file, random, $"{block}.mlp.0", State, hidden);
            Linear(file, random, $"{block}.mlp.2", hidden, State);
            Norm(file, random, $"{block}.attn_ln");
            Attention(file, random, $"{block}.attn");
        }

        Tensor(file, random, "decoder.positional_embedding", TypeF32, State, TextContext);
        Tensor(file, random, "decoder.token_embedding.weight", TypeF16, State, Vocabulary);
        Norm(file, random, "decoder.ln");
        for (var layer = 0; layer < Layers; layer++)
        {
            var block = $"decoder.blocks.{layer}";
            Norm(file, random, $"{block}.mlp_ln");
            Linear(file, random, $"{block}.mlp.0", State, hidden);
            Linear(file, random, $"{block}.mlp.2", hidden, State);
            Norm(file, random, $"{block}.attn_ln");
            Attention(file, random, $"{block}.attn");
            Norm(file, random, $"{block}.cross_attn_ln");
            Attention(file, random, $"{block}.cross_attn");
        }
    }

    /// <summary>Query, key (no bias, as in Whisper), value and output projections.</summary>
    static void Attention(BinaryWriter file, Random random, string prefix)
    {
        Linear(file, random, $"{prefix}.query", State, State);
        Tensor(file, random, $"{prefix}.key.weight", TypeF16, State, State);
        Linear(file, random, $"{prefix}.value", State, State);
        Linear(file, random, $"{prefix}.out", State, State);
    }

    static void Linear(BinaryWriter file, Random random, string prefix, int inputs, int outputs)
    {
        Tensor(file, random, $"{prefix}.weight", TypeF16, inputs, outputs);
        Tensor(file, random, $"{prefix}.bias", TypeF32, outputs);
    }

    static void Norm(BinaryWriter file, Random random, string prefix)
    {
        Tensor(file, random, $"{prefix}.weight", TypeF32, State);
        Tensor(file, random, $"{prefix}.bias", TypeF32, State);
    }

    /// <summary>One tensor; <paramref name="dims"/> in ggml order (the fastest-varying first). Values are uniform in
    /// ±1/√(first dim), which keeps activations finite through the layers.</summary>
    static void Tensor(BinaryWriter file, Random random, string name, int type, params int[] dims)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        file.Write(dims.Length);
        file.Write(nameBytes.Length);
        file.Write(type);
        foreach (var dim in dims)
            file.Write(dim);
        file.Write(nameBytes);

        var count = dims.Aggregate(1, (product, dim) => product * dim);
        var scale = 1f / MathF.Sqrt(dims[0]);
        for (var i = 0; i < count; i++)
        {
            var value = (random.NextSingle() * 2 - 1) * scale;
            if (type == TypeF16) file.Write((Half)value);
            else file.Write(value);
        }
    }
}
