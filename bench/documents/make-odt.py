#!/usr/bin/python3
"""make-odt.py TEXT_FILE OUT_DIR N: the agreement as N filled ODT files.

The benchmark's comparison document for LibreOffice: the same content as the
PDF Paotuan draws (its canonical text, as pt_document_render_full returns it:
one line per paragraph, table rows as tab-separated cells), written as an
OpenDocument text with the same fonts, tables with borders and a header row.
Run with Debian's /usr/bin/python3 (only the standard library is used).
"""
import os
import sys
import zipfile
from xml.sax.saxutils import escape

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
      'office:version="1.3"')

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
 <office:font-face-decls>
  <style:font-face style:name="Noto Serif CJK SC" svg:font-family="'Noto Serif CJK SC'"/>
  <style:font-face style:name="Noto Sans CJK SC" svg:font-family="'Noto Sans CJK SC'"/>
 </office:font-face-decls>
 <office:styles>
  <style:style style:name="Center" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
  <style:default-style style:family="paragraph">
   <style:text-properties style:font-name="Noto Serif CJK SC" style:font-name-asian="Noto Serif CJK SC" fo:font-size="10.5pt" style:font-size-asian="10.5pt" fo:language="zh" fo:country="CN"/>
  </style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A4">
   <style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" fo:margin-left="22mm" fo:margin-right="22mm" fo:margin-top="20mm" fo:margin-bottom="20mm"/>
   <style:footer-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A4">
   <style:footer><text:p text:style-name="Center">第 <text:page-number text:select-page="current"/> 页 共 <text:page-count/> 页</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
</office:document-styles>
"""

AUTO = """ <office:automatic-styles>
  <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="4mm"/><style:text-properties style:font-name="Noto Sans CJK SC" style:font-name-asian="Noto Sans CJK SC" fo:font-size="20pt" style:font-size-asian="20pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="21pt" fo:line-height="130%"/></style:style>
  <style:style style:name="Head" style:family="paragraph"><style:text-properties style:font-name="Noto Sans CJK SC" style:font-name-asian="Noto Sans CJK SC" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="166mm" table:align="margins"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.6pt solid #000000" fo:padding="1.4mm"/></style:style>
  <style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties fo:background-color="#e0e0e0" fo:border="0.6pt solid #000000" fo:padding="1.4mm"/></style:style>
 </office:automatic-styles>
"""


def content_xml(lines):
    body = []
    table = []

    def flush():
        if not table:
            return
        cols = max(len(r) for r in table)
        body.append('<table:table table:style-name="Tbl">')
        body.append(f'<table:table-column table:number-columns-repeated="{cols}"/>')
        body.append('<table:table-header-rows>')
        for i, row in enumerate(table):
            if i == 1:
                body.append('</table:table-header-rows>')
            style = "HeadCell" if i == 0 else "Cell"
            body.append('<table:table-row>')
            span = cols - len(row) + 1
            for j, cell in enumerate(row):
                extra = (f' table:number-columns-spanned="{span}"'
                         if j == len(row) - 1 and span > 1 else '')
                body.append(f'<table:table-cell table:style-name="{style}"{extra} office:value-type="string">'
                            f'<text:p>{escape(cell)}</text:p></table:table-cell>')
                if extra:
                    body.extend(['<table:covered-table-cell/>'] * (span - 1))
            body.append('</table:table-row>')
        if len(table) == 1:
            body.append('</table:table-header-rows>')
        body.append('</table:table>')
        table.clear()

    for n, line in enumerate(lines):
        if '\t' in line:
            table.append(line.split('\t'))
            continue
        flush()
        if n == 0:
            body.append(f'<text:p text:style-name="Title">{escape(line)}</text:p>')
        elif line[:2] in ('一、', '二、', '三、', '四、', '五、', '六、', '七、', '八、', '九、'):
            body.append(f'<text:p text:style-name="Head">{escape(line)}</text:p>')
        else:
            body.append(f'<text:p text:style-name="Body">{escape(line)}</text:p>')
    flush()
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>\n{AUTO}'
            f' <office:body><office:text>\n' + '\n'.join(body) +
            '\n </office:text></office:body>\n</office:document-content>\n')


def main():
    text_file, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(text_file, encoding='utf-8') as f:
        # The canonical text starts with the kind and the case number, which
        # the PDF shows only in the QR code.
        lines = [l for l in f.read().split('\n') if l != ''][2:]
    content = content_xml(lines)
    os.makedirs(out_dir, exist_ok=True)
    for i in range(count):
        path = os.path.join(out_dir, f'agreement-{i:03d}.odt')
        with zipfile.ZipFile(path, 'w') as z:
            # The mimetype comes first and uncompressed (ODF 1.3, 3.3).
            z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.text',
                       compress_type=zipfile.ZIP_STORED)
            z.writestr('META-INF/manifest.xml', MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr('styles.xml', STYLES, compress_type=zipfile.ZIP_DEFLATED)
            z.writestr('content.xml', content, compress_type=zipfile.ZIP_DEFLATED)


if __name__ == '__main__':
    main()
