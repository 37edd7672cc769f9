package org.unicom4j.data.assemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;

/** The command line's source syntax, KIND:PATH[,key=value...], and its one-line refusals. */
class SourceSpecTest {

    @Test
    void kindsPathsAndOptions() {
        assertEquals(new SourceSpec("products.csv", SourceKind.CSV, Path.of("/d/products.csv"), null, null, 0, 0, List.of()),
                SourceSpec.parse("csv:/d/products.csv"));
        assertEquals(new SourceSpec("gldv2", SourceKind.FOLDER, Path.of("g"), null, null, 79166, 10, List.of()),
                SourceSpec.parse("folder:g,name=gldv2,max-images=79166,max-per-class=10"));
        assertEquals(new SourceSpec("CUB_200_2011", SourceKind.CUB, Path.of("CUB_200_2011"), null, "train", 0, 0, List.of()),
                SourceSpec.parse("CUB:CUB_200_2011"));
        assertEquals(new SourceSpec("inshop", SourceKind.INSHOP, Path.of("inshop"), null, "gallery", 0, 0, List.of()),
                SourceSpec.parse("inshop:inshop,split=Gallery"));
        assertEquals(new SourceSpec("fm", SourceKind.IDX, Path.of("img.gz"), Path.of("lab.gz"), null, 0, 0, List.of()),
                SourceSpec.parse("idx:img.gz,labels=lab.gz,name=fm"));
        assertEquals(List.of("0", "2", "4", "6"), SourceSpec.parse("idx:img.gz,labels=lab.gz,classes=0+2+4+6").classes());
    }

    @Test
    void badSpecsAreOneLineErrors() {
        assertEquals("source 'products.csv': expected KIND:PATH[,key=value...], e.g. csv:products.csv,max-images=100000",
                refused("products.csv"));
        assertEquals("source 'zip:a.zip': kind 'zip' is not one of csv, folder, cub, sop, inshop, idx",
                refused("zip:a.zip"));
        assertEquals("source 'csv:a.csv,max-images=0': max-images must be a positive integer, got '0'",
                refused("csv:a.csv,max-images=0"));
        assertEquals("source 'csv:a.csv,cap': option 'cap' is not key=value", refused("csv:a.csv,cap"));
        assertEquals("source 'csv:a.csv,cap=3': unknown option 'cap' (name, split, labels, classes, max-images, "
                + "max-per-class)",
                refused("csv:a.csv,cap=3"));
        assertEquals("source 'idx:img.gz': an idx source needs labels=LABEL_FILE", refused("idx:img.gz"));
        assertEquals("source 'csv:a.csv,split=test': split= is for cub, sop and inshop sources",
                refused("csv:a.csv,split=test"));
        assertEquals("source 'folder:f,classes=a++b': classes= takes distinct class names joined by '+', got 'a++b'",
                refused("folder:f,classes=a++b"));
        assertEquals("source 'folder:f,classes=a+a': classes= takes distinct class names joined by '+', got 'a+a'",
                refused("folder:f,classes=a+a"));
        assertEquals("source 'csv:a.csv,name=a/b': name 'a/b' may hold only letters, digits, '.', '_' and '-' (it "
                + "names the source's image folder)", refused("csv:a.csv,name=a/b"));
    }

    private static String refused(String spec) {
        return assertThrows(InvalidInputException.class, () -> SourceSpec.parse(spec)).getMessage();
    }
}
