package org.ssdspark.prep.voc;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses PASCAL VOC annotation XML. Any DOCTYPE is refused outright, which also rules out external entities
 * and entity expansion attacks: VOC annotations never carry one, so a file that does is hostile or broken.
 */
public final class VocAnnotationParser {

    private static final DocumentBuilderFactory FACTORY = secureFactory();

    private static DocumentBuilderFactory secureFactory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK XML parser lacks the features needed to parse safely", e);
        }
    }

    /** Parses one annotation; {@code source} names the file in error messages. */
    public VocAnnotation parse(byte[] xml, String source) throws AnnotationException {
        Document doc;
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            doc = builder.parse(new ByteArrayInputStream(xml), source);
        } catch (SAXParseException e) {
            String msg = e.getMessage();
            if (msg != null && msg.contains("DOCTYPE")) {
                throw new AnnotationException(source + ": DOCTYPE declarations are refused (possible XML entity attack)");
            }
            throw new AnnotationException(source + ": malformed XML at line " + e.getLineNumber() + ": " + msg);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new AnnotationException(source + ": cannot parse XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"annotation".equals(root.getTagName())) {
            throw new AnnotationException(source + ": root element is <" + root.getTagName() + ">, expected <annotation>");
        }
        String filename = text(root, "filename");
        int width = 0;
        int height = 0;
        Element size = child(root, "size");
        if (size != null) {
            width = (int) number(size, "width", source);
            height = (int) number(size, "height", source);
        }
        List<VocObject> objects = new ArrayList<>();
        NodeList children = root.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e && e.getTagName().equals("object")) {
                objects.add(parseObject(e, source, objects.size()));
            }
        }
        return new VocAnnotation(filename == null ? null : filename.trim(), width, height, List.copyOf(objects));
    }

    private static VocObject parseObject(Element obj, String source, int index) throws AnnotationException {
        String where = source + " object #" + index;
        String name = text(obj, "name");
        if (name == null || name.isBlank()) {
            throw new AnnotationException(where + ": missing <name>");
        }
        Element box = child(obj, "bndbox");
        if (box == null) {
            throw new AnnotationException(where + " (" + name.trim() + "): missing <bndbox>");
        }
        return new VocObject(name.trim(),
                number(box, "xmin", where), number(box, "ymin", where),
                number(box, "xmax", where), number(box, "ymax", where),
                flag(obj, "difficult", where), flag(obj, "truncated", where));
    }

    private static boolean flag(Element parent, String tag, String where) throws AnnotationException {
        String t = text(parent, tag);
        if (t == null || t.isBlank()) {
            return false;
        }
        try {
            return Double.parseDouble(t.trim()) != 0;
        } catch (NumberFormatException e) {
            throw new AnnotationException(where + ": <" + tag + "> is '" + t.trim() + "', expected 0 or 1");
        }
    }

    private static double number(Element parent, String tag, String where) throws AnnotationException {
        String t = text(parent, tag);
        if (t == null) {
            throw new AnnotationException(where + ": missing <" + tag + ">");
        }
        try {
            double v = Double.parseDouble(t.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AnnotationException(where + ": <" + tag + "> is '" + t.trim() + "', expected a number");
        }
    }

    private static Element child(Element parent, String tag) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent();
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
}
