package org.unicom4j.cli.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.unicom4j.api.dataset.ImageSource;
import org.unicom4j.api.model.LoadedModel;
import org.unicom4j.cli.embedding.InMemoryEmbeddings;
import org.unicom4j.cli.options.BackendOption;
import org.unicom4j.cli.options.BadImageOptions;
import org.unicom4j.cli.options.ImageSourceOptions;
import org.unicom4j.cli.options.ModelOptions;
import org.unicom4j.cli.report.MetricsTable;
import org.unicom4j.cli.report.OutputFiles;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.data.loader.BadImagePolicy;
import org.unicom4j.data.npy.NpyArray;
import org.unicom4j.kernels.Backend;
import org.unicom4j.retrieval.Vectors;
import org.unicom4j.retrieval.embeddings.EmbeddingSet;
import org.unicom4j.retrieval.index.BackendExactSearch;
import org.unicom4j.retrieval.metrics.EmbeddingPrefix;
import org.unicom4j.retrieval.metrics.HashingEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unicom4j eval}: a retrieval benchmark, from images and weights or from precomputed embeddings. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Retrieval metrics (spec section 6): L2-normalise, optionally keep a prefix of the dims, rank "
                + "by Euclidean distance.",
                "Protocols: leave-one-out (CUB, Cars, SOP test split: Recall@K, mAP@R), query-gallery (In-shop), "
                        + "compactness (Recall@1 at 32/64/128/256/512 dims) and revisited (rOxford/rParis mAP "
                        + "Easy/Medium/Hard from a gnd_*.pkl; queries cropped to their boxes) and hashing "
                        + "(--query-embeddings against --embeddings or --code-index: mAP@K, P@N, precision-recall "
                        + "curve in OUT/hashing.json and OUT/precision-recall.png); mmp5 (mMP@5: Euclidean 5-NN on the raw "
                        + "embeddings), map100 (mAP@100) and knn (weighted k-NN top-1/top-5 per k), each of "
                        + "--query-embeddings against the index set, of its query rows against its gallery rows, or "
                        + "leave-one-out.",
                "Prints a table (fractions, not percent) and writes OUT/eval.json."})
public final class EvalCommand implements Callable<Integer> {
    private static final int[] RECALL_KS = {1, 2, 4, 8};
    /** In-shop's usual Recall@K list (e.g. the Unicom and Proxy-Anchor papers' tables). */
    private static final int[] IN_SHOP_KS = {1, 10, 20, 30, 40, 50};

    @Option(names = "--protocol", defaultValue = "auto", paramLabel = "NAME",
            description = "leave-one-out, query-gallery, compactness, revisited, hashing, mmp5, map100, knn, or auto: "
                    + "revisited with --gnd, "
                    + "query-gallery when the rows have query and gallery splits, else leave-one-out "
                    + "(default: ${DEFAULT-VALUE})")
    String protocolName;

    @Option(names = "--embeddings", paramLabel = "PATH",
            description = "precomputed embeddings: an embed output folder or a .npy (with its manifest beside it); "
                    + "for revisited, the database rows in imlist order")
    Path embeddings;

    @Option(names = "--manifest", paramLabel = "FILE", description = "the manifest of --embeddings, if not beside it")
    Path manifest;

    @Mixin
    ImageSourceOptions images;

    @Mixin
    ModelOptions model;

    @Option(names = "--ks", split = ",", paramLabel = "K", description = "Recall@K cut-offs (default: 1,2,4,8; "
            + "1,10,20,30,40,50 for query-gallery)")
    int[] ks;

    @Option(names = "--prefix", paramLabel = "DIMS",
            description = "keep the first DIMS dims of each normalised embedding (default: all)")
    Integer prefix;

    @Option(names = "--dims", split = ",", paramLabel = "DIMS",
            description = "compactness: prefix lengths (default: 32,64,128,256,512 up to the embedding dim, and it)")
    int[] dims;

    @Option(names = "--gnd", paramLabel = "FILE", description = "revisited: the ground truth, e.g. gnd_roxford5k.pkl")
    Path gnd;

    @Option(names = "--jpg", paramLabel = "DIR",
            description = "revisited: the folder of <name>.jpg images (default: jpg/ beside the --gnd file)")
    Path jpg;

    @Option(names = "--query-embeddings", paramLabel = "FILE",
            description = "revisited: precomputed query embeddings (.npy, qimlist order, cropped queries); hashing, "
                    + "mmp5, map100, knn: the queries (.npy or embed folder, labels from the manifest beside it)")
    Path queryEmbeddings;

    @Option(names = "--code-index", paramLabel = "FILE",
            description = "hashing: the database as a code index (instead of --embeddings)")
    Path codeIndex;

    @Option(names = "--distance", paramLabel = "NAME",
            description = "hashing with --code-index: asymmetric-squared-l2, asymmetric-l2-sum, symmetric-squared-l2 "
                    + "or symmetric-l2-sum (default: the index's)")
    String distance;

    @Option(names = "--map-at", defaultValue = "1000", paramLabel = "K",
            description = "hashing: K of mAP@K (default: ${DEFAULT-VALUE})")
    int mapAt;

    @Option(names = "--precision-at", split = ",", paramLabel = "N",
            description = "hashing: N of each P@N (default: 100,500,1000,2000,5000)")
    int[] precisionAt;

    @Option(names = "--knn-k", split = ",", paramLabel = "K",
            description = "knn: the k values (default: 10,20,100,200, as DINO)")
    int[] knnKs;

    @Mixin
    BadImageOptions badImages; // revisited always stops at a bad image: its ground truth counts every image

    @Option(names = "--out", defaultValue = "runs/eval", paramLabel = "DIR",
            description = "output folder for eval.json (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    BackendOption backend;

    @Override
    public Integer call() throws Exception {
        Protocol protocol = Protocol.parse(protocolName);
        if (protocol == null && gnd != null) {
            protocol = Protocol.REVISITED;
        }
        if ((protocol == Protocol.REVISITED) != (gnd != null)) {
            throw new InvalidInputException(gnd == null ? "--protocol revisited needs --gnd (gnd_roxford5k.pkl or "
                    + "gnd_rparis6k.pkl)" : "--gnd is for --protocol revisited, not " + protocol.cliName);
        }
        if (embeddings != null && (images.given() || model.given())) {
            throw new InvalidInputException("--embeddings are already embedded: drop the image and model options");
        }
        long start = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        MetricsTable table = protocol == Protocol.REVISITED ? revisited(report)
                : protocol == Protocol.HASHING ? hashing(report)
                : protocol != null && protocol.universal() ? universal(protocol, report) : labelled(protocol, report);
        report.put("metrics", table.rows());
        report.put("seconds", (System.nanoTime() - start) / 1e9);
        System.out.print(table.toText());
        Path json = out.resolve("eval.json");
        OutputFiles.writeJson(json, report);
        System.out.println("wrote " + json);
        return 0;
    }

    private MetricsTable labelled(Protocol requested, Map<String, Object> report) throws IOException {
        if (embeddings == null && !images.given()) {
            throw new InvalidInputException("nothing to evaluate: give --embeddings, or images (--folder, --csv, "
                    + "--cub, --sop, --inshop, --idx) and a model");
        }
        try (Backend b = backend.open()) {
            Named named = embeddingsOrImages(b);
            EmbeddingSet set = named.set();
            String name = named.name();
            boolean queryGallery = hasSplit(set, "query") && hasSplit(set, "gallery");
            Protocol protocol = requested != null ? requested
                    : queryGallery ? Protocol.QUERY_GALLERY : Protocol.LEAVE_ONE_OUT;
            int keep = prefix == null ? set.dim() : prefix;
            if (keep < 1 || keep > set.dim()) {
                throw new InvalidInputException("--prefix " + keep + " outside 1.." + set.dim()
                        + " (the embedding dim)");
            }
            int[] cutoffs = ks != null ? ks : protocol == Protocol.QUERY_GALLERY ? IN_SHOP_KS : RECALL_KS;
            if (Arrays.stream(cutoffs).anyMatch(k -> k < 1)) {
                throw new InvalidInputException("--ks must be >= 1, got " + Arrays.toString(cutoffs));
            }
            String row = name + (keep < set.dim() ? " (" + keep + " of " + set.dim() + " dims)" : "");
            BackendExactSearch search = new BackendExactSearch(b);
            report.put("protocol", protocol.cliName);
            report.put("source", name);
            report.put("model_id", set.modelId());
            report.put("rows", set.rows());
            report.put("dim", set.dim());
            return switch (protocol) {
                case LEAVE_ONE_OUT -> {
                    report.put("prefix", keep);
                    yield RetrievalMetrics.leaveOneOut(search, set, row, keep, cutoffs);
                }
                case QUERY_GALLERY -> {
                    report.put("prefix", keep);
                    yield RetrievalMetrics.queryGallery(search, set, row, keep, cutoffs);
                }
                case COMPACTNESS -> {
                    int[] curve = curveDims(set.dim());
                    report.put("dims", curve);
                    yield RetrievalMetrics.compactness(search, set, queryGallery, curve);
                }
                case REVISITED -> throw new IllegalStateException("revisited is evaluated from --gnd");
                case HASHING -> throw new IllegalStateException("hashing is evaluated from --query-embeddings");
                case MMP5, MAP100, KNN -> throw new IllegalStateException("evaluated by UniversalProtocols");
            };
        }
    }

    /** An embedding set and what to call it in the table. */
    private record Named(EmbeddingSet set, String name) {
    }

    /** --embeddings as read, or the images embedded by the model. */
    private Named embeddingsOrImages(Backend b) throws IOException {
        if (embeddings != null) {
            EmbeddingSet set = EmbeddingSet.read(embeddings, manifest);
            return new Named(set, set.file().toString());
        }
        model.validate();
        ImageSource source = images.open(badImages.maxImagePixels());
        try (LoadedModel loaded = model.load(b)) {
            System.err.println("model " + loaded.describe() + " on " + b.description());
            return new Named(InMemoryEmbeddings.embed(loaded, source, model.batch(), model.loaderThreads(),
                    badImages.policy(), System.err), source.description());
        }
    }

    private MetricsTable universal(Protocol protocol, Map<String, Object> report) throws IOException {
        if (embeddings == null && !images.given()) {
            throw new InvalidInputException("--protocol " + protocol.cliName + " needs the index set: --embeddings, or "
                    + "images (--folder, --csv, --cub, --sop, --inshop, --idx) and a model; queries from "
                    + "--query-embeddings, the set's query/gallery split, or leave-one-out");
        }
        try (Backend b = backend.open()) {
            Named index = embeddingsOrImages(b);
            EmbeddingSet queries = queryEmbeddings == null ? null : EmbeddingSet.read(queryEmbeddings, null);
            report.put("protocol", protocol.cliName);
            report.put("source", index.name());
            report.put("model_id", index.set().modelId());
            report.put("dim", index.set().dim());
            if (queries != null) {
                report.put("query_source", queries.file().toString());
            }
            return UniversalProtocols.evaluate(protocol, new BackendExactSearch(b),
                    UniversalProtocols.sets(index.set(), queries), index.name(),
                    knnKs != null ? knnKs : UniversalProtocols.KNN_KS, report);
        }
    }

    private MetricsTable hashing(Map<String, Object> report) throws IOException {
        if (queryEmbeddings == null || (embeddings == null) == (codeIndex == null)) {
            throw new InvalidInputException("--protocol hashing takes --query-embeddings and one database: "
                    + "--embeddings or --code-index");
        }
        int[] cutoffs = precisionAt != null ? precisionAt : HashingEvaluation.DEFAULT_PRECISION_CUTOFFS;
        EmbeddingSet queries = EmbeddingSet.read(queryEmbeddings, null);
        report.put("protocol", Protocol.HASHING.cliName);
        report.put("queries", queries.file().toString());
        if (codeIndex != null) {
            return HashingProtocol.codes(queries, codeIndex, distance, mapAt, cutoffs, out, report);
        }
        try (Backend b = backend.open()) {
            return HashingProtocol.embeddings(b, queries, EmbeddingSet.read(embeddings, manifest), mapAt, cutoffs,
                    out, report);
        }
    }

    private MetricsTable revisited(Map<String, Object> report) throws IOException {
        if (images.given()) {
            throw new InvalidInputException("revisited takes its images from --gnd and --jpg, not --folder/--csv/"
                    + "--cub/--sop/--inshop/--idx");
        }
        RevisitedGroundTruth truth = RevisitedGroundTruth.read(gnd);
        report.put("protocol", Protocol.REVISITED.cliName);
        report.put("dataset", truth.name());
        report.put("database", truth.imlist().size());
        report.put("queries", truth.qimlist().size());
        try (Backend b = backend.open()) {
            Vectors database, queries;
            if (embeddings != null) {
                if (queryEmbeddings == null) {
                    throw new InvalidInputException("revisited from --embeddings also needs --query-embeddings");
                }
                database = matrix(embeddings, truth.imlist().size(), "--embeddings (imlist)");
                queries = matrix(queryEmbeddings, truth.qimlist().size(), "--query-embeddings (qimlist)");
            } else {
                model.validate();
                Path dir = jpg != null ? jpg : gnd.toAbsolutePath().getParent().resolve("jpg");
                if (!Files.isDirectory(dir)) {
                    throw new InvalidInputException(dir + ": image folder not found; give --jpg DIR holding "
                            + "<name>.jpg for the ground truth's imlist");
                }
                try (LoadedModel loaded = model.load(b)) {
                    System.err.println("model " + loaded.describe() + " on " + b.description());
                    report.put("model_id", loaded.id());
                    long maxPixels = badImages.maxImagePixels();
                    database = InMemoryEmbeddings.embed(loaded, RevisitedImages.database(truth, dir, maxPixels),
                            model.batch(), model.loaderThreads(), BadImagePolicy.STOP, System.err).vectors();
                    queries = InMemoryEmbeddings.embed(loaded, RevisitedImages.queries(truth, dir, maxPixels),
                            model.batch(), model.loaderThreads(), BadImagePolicy.STOP, System.err).vectors();
                }
            }
            return RetrievalMetrics.revisited(new BackendExactSearch(b), database, queries, truth);
        }
    }

    /** A float [rows, dim] .npy (or an embed folder's embeddings.npy) of exactly {@code rows} rows. */
    private static Vectors matrix(Path path, int rows, String what) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(EmbeddingSet.EMBEDDINGS) : path;
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + ": embeddings file not found");
        }
        NpyArray a = NpyArray.read(file);
        long[] shape = a.shape();
        if (shape.length != 2 || shape[0] != rows || shape[1] == 0 || !a.dtype().isFloatingPoint()) {
            throw new FileFormatException(file + ": " + what + " of shape " + Arrays.toString(shape)
                    + " and dtype " + a.dtype().descr() + "; expected float [" + rows + ", dim]");
        }
        return new Vectors(a.toFloats(), rows, (int) shape[1]);
    }

    private int[] curveDims(int dim) {
        if (dims != null) {
            for (int d : dims) {
                if (d < 1 || d > dim) {
                    throw new InvalidInputException("--dims " + d + " outside 1.." + dim + " (the embedding dim)");
                }
            }
            return dims.clone();
        }
        TreeSet<Integer> curve = new TreeSet<>();
        for (int d : EmbeddingPrefix.CURVE_DIMS) {
            if (d <= dim) {
                curve.add(d);
            }
        }
        curve.add(dim);
        return curve.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasSplit(EmbeddingSet set, String split) {
        return set.entries().stream().anyMatch(e -> e.split().equals(split));
    }
}
