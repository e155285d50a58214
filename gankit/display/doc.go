// Package display shows the kit's figures and tables: inline when the program runs in
// a GoNB notebook cell, as files and printed text otherwise.
//
// In a notebook, Show sends the figure as an image/png display output (which
// jupyter nbconvert embeds when exporting to HTML) and Markdown sends a text/markdown
// output. Outside a notebook (go run, go test, a command), Show writes
// <dir>/<name>.png, where dir is $GANKIT_FIGURES or "figures", and prints the path;
// Markdown prints the text. ShowGIF does the same for an animated GIF (plots.GIF's
// bytes): inline as an HTML <img> with the data, or as <dir>/<name>.gif.
//
// Save writes a figure in the requested formats to a given directory, whatever the
// environment: the command that regenerates the repository's figures uses it. Table
// formats a Markdown table for Markdown.
//
// Live updates one figure in place while training runs: in JupyterLab the first Update
// displays it and later ones replace it (one display id); the last frame is what an
// exported HTML page keeps. Outside a notebook each Update overwrites the PNG file.
//
// Any value with a PNG method (a *plots.Figure, for instance) is a Renderer; Save
// writes SVG for values that also have an SVG method (SVGRenderer).
package display
